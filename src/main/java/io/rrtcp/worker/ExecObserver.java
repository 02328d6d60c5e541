package io.rrtcp.worker;

/**
 * Told how long one event waited for a free worker and how long the worker took, for metrics. Called on the
 * request's own thread for every event; implementations must not lock or allocate.
 */
public interface ExecObserver {
    ExecObserver NONE = new ExecObserver() {
        @Override
        public void waited(long nanos) {
        }

        @Override
        public void worked(long nanos) {
        }
    };

    /** The time the event waited in the pool until a worker was lent to it. */
    void waited(long nanos);

    /** The worker's time on the event: from sending it until the reply was read (only when the worker answered). */
    void worked(long nanos);
}
