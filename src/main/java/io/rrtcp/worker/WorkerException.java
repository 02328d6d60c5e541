package io.rrtcp.worker;

/** A request that a worker or the pool could not complete; says which worker (pid) and why. */
public final class WorkerException extends Exception {
    /** What went wrong, which decides what happens to the worker and to the request. */
    public enum Kind {
        /** The worker answered with an ERROR frame; it stays in service. */
        SOFT_JOB,
        /** The worker answered with a stream, which TCP cannot use; it stays in service once the stream is drained. */
        STREAM_REFUSED,
        /** The worker asked to be replaced ({"stop":true}); the request may run on another worker. */
        STOP_REQUESTED,
        /** The worker died, hung up or broke the protocol; it is killed and replaced. */
        BROKEN,
        /** No worker became free within allocate_timeout. */
        NO_FREE_WORKERS,
        /** max_queue_size requests were already inside the pool; this one was refused at once. */
        QUEUE_FULL,
        /** The request ran longer than supervisor.exec_ttl; the worker was killed. */
        EXEC_TTL,
        /** The pool is shutting down. */
        POOL_CLOSED,
        /** A worker process could not be started or did not complete the pid handshake. */
        START_FAILED
    }

    private final Kind kind;
    private final long pid;
    private final boolean delivered;

    public WorkerException(Kind kind, long pid, boolean delivered, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.pid = pid;
        this.delivered = delivered;
    }

    public WorkerException(Kind kind, long pid, boolean delivered, String message) {
        this(kind, pid, delivered, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The worker's pid, or 0 when no worker was involved. */
    public long pid() {
        return pid;
    }

    /** Whether the request reached a worker (false: it never left rr-tcp and may safely go to another worker). */
    public boolean delivered() {
        return delivered;
    }
}
