package io.rrtcp.tcp;

import io.rrtcp.worker.ExecObserver;

/**
 * Counts what happens on one configured server's connections, for metrics. Called on the message path, so
 * implementations must not lock or allocate per call (LongAdders).
 */
public interface ServerMeter extends ExecObserver {
    ServerMeter NONE = new ServerMeter() {
        @Override
        public void opened() {
        }

        @Override
        public void closed(CloseReason reason) {
        }

        @Override
        public void event(TcpEvent event) {
        }

        @Override
        public void received(long bytes) {
        }

        @Override
        public void sent(long bytes) {
        }

        @Override
        public void waited(long nanos) {
        }

        @Override
        public void worked(long nanos) {
        }
    };

    /** A connection was accepted and is being served. */
    void opened();

    /** A connection ended (exactly once per {@link #opened()}). */
    void closed(CloseReason reason);

    /** An event is being handed to a worker. */
    void event(TcpEvent event);

    /** Bytes read from a client. */
    void received(long bytes);

    /** Bytes written to a client (replies and RPC sends). */
    void sent(long bytes);
}
