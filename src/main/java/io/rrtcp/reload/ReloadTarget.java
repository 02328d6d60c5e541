package io.rrtcp.reload;

import io.rrtcp.worker.WorkerException;

import java.util.List;

/** The worker pool as a reload sees it: try the new code on one worker, then replace them all. */
public interface ReloadTarget {
    /**
     * Starts one worker with the pool's command and environment, lets it complete the pid handshake, and stops it.
     *
     * @return the pid it ran as
     * @throws WorkerException START_FAILED when it does not start, with the worker's own error output in the message
     */
    long tryOneWorker() throws WorkerException;

    /** The same reset that {@code rr-tcp reset} asks for over RPC. */
    void reset() throws WorkerException;

    /** The pids of the pool's workers now. */
    List<Long> pids();
}
