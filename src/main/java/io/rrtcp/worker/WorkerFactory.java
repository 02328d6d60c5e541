package io.rrtcp.worker;

/** Starts a ready worker (process plus pid handshake); the pool calls it for the first workers and every replacement. */
@FunctionalInterface
public interface WorkerFactory {
    Worker start() throws WorkerException;
}
