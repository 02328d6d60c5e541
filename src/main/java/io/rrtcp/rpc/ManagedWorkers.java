package io.rrtcp.rpc;

import java.util.List;

/** A plugin's workers as the informer and resetter see them ({@code tcp}: the worker pool). */
public interface ManagedWorkers {
    /** The current workers, sorted by pid. */
    List<WorkerStatus> workers();

    /** Starts one more worker. */
    void addWorker() throws Exception;

    /** Stops one worker (the last one is kept, as upstream does). */
    void removeWorker() throws Exception;

    /** Replaces every worker with a fresh one. */
    void reset() throws Exception;
}
