package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

/** What the TCP side needs from the workers: run an event, deliver a CLOSE event. {@link WorkerPool} is the real one. */
public interface RequestExecutor {
    /** Runs one event on a worker and returns its reply (the verb as context). */
    Payload exec(Payload request) throws WorkerException;

    /** Delivers a CLOSE event; the worker's answer, if it sends one, is dropped. */
    void execClose(Payload closeEvent) throws WorkerException;

    /** As {@link #exec(Payload)}, telling {@code observer} the wait for a worker and the worker's time. */
    default Payload exec(Payload request, ExecObserver observer) throws WorkerException {
        return exec(request);
    }

    /** As {@link #execClose(Payload)}, telling {@code observer} the wait for a worker and the worker's time. */
    default void execClose(Payload closeEvent, ExecObserver observer) throws WorkerException {
        execClose(closeEvent);
    }
}
