package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntConsumer;

/**
 * One worker as the pool sees it: a process that answers one request at a time. {@link WorkerProcess} is the real
 * one; the pool keeps its own books about each worker (idle, lent, retiring) in its roster, not here.
 */
public interface Worker {
    long pid();

    Instant created();

    /** Requests sent to it (answered or not). */
    long numExecs();

    /** Requests answered with a reply (not an error frame, not a failure). */
    long served();

    /** {@link TimeSource#nanoTime()} when its last request ended; 0 while none has. */
    long lastDone();

    /** Its protocol state (ready, working, stopped ...), as the worker itself knows it. */
    WorkerState state();

    boolean isAlive();

    /**
     * Sends one request and reads its reply within {@code execTtl} (zero: no limit).
     *
     * @throws WorkerException BROKEN when it died or broke the protocol (it is killed then), EXEC_TTL past exec_ttl
     */
    Reply exec(Payload request, Duration execTtl) throws WorkerException;

    /**
     * Whether its answers usually take long enough that a thread waiting for one should block rather than look again
     * (see {@link PipeChannels}); such a worker's waiting requests are run in a chain ({@link PoolExecutor}).
     */
    default boolean answersSlowly() {
        return false;
    }

    /** Delivers a CLOSE event; an answer to it, if any, is dropped. Fails as {@link #exec}. */
    void execClose(Payload closeEvent, Duration execTtl) throws WorkerException;

    /**
     * {@link #exec(Payload, Duration)}, running {@code afterSend} once the request has been written (or could not
     * be), while the reply is still to come.
     */
    default Reply exec(Payload request, Duration execTtl, Runnable afterSend) throws WorkerException {
        afterSend.run();
        return exec(request, execTtl);
    }

    /** {@link #execClose(Payload, Duration)} with {@code afterSend} as in {@link #exec(Payload, Duration, Runnable)}. */
    default void execClose(Payload closeEvent, Duration execTtl, Runnable afterSend) throws WorkerException {
        afterSend.run();
        execClose(closeEvent, execTtl);
    }

    /** The stop command, then up to destroy_timeout for the process to exit, then SIGKILL. */
    void stop();

    /** SIGKILL now. */
    void kill();

    /** Waits for the process to exit; true if it did. */
    boolean awaitExit(Duration timeout);

    /** Runs {@code action} with the exit code once the process has exited. */
    void onExit(IntConsumer action);

    /** Its last lines of stderr, for error messages. */
    String recentStderr();

    /** Bytes it wrote while idle that nobody asked for (0 when none, or while a request holds it). */
    int outputWhileIdle();

    /** Memory and CPU figures, zeros when they cannot be read. */
    ProcStats stats();
}
