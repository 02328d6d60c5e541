package io.rrtcp.tcp;

/** Why a connection ended, as the {@code reason} label of {@code rr_tcp_connections_closed_total} shows it. */
public enum CloseReason {
    /** The client closed its side. */
    CLIENT("client"),
    /** The worker answered CLOSE or WRITECLOSE (or a verb rr-tcp does not know). */
    VERB("verb"),
    /** The worker failed the event (died, broke the protocol, no free worker in time...). */
    WORKER_ERROR("worker_error"),
    MAX_MESSAGE_SIZE("max_message_size"),
    IDLE_TIMEOUT("idle_timeout"),
    READ_TIMEOUT("read_timeout"),
    WRITE_TIMEOUT("write_timeout"),
    /** The TLS handshake failed (implicit TLS or after STARTTLS). */
    TLS_HANDSHAKE("tls_handshake"),
    /** The TLS handshake did not end within {@code tls.handshake_timeout} (the label is the config key). */
    TLS_HANDSHAKE_TIMEOUT("tls.handshake_timeout"),
    /** rr-tcp was stopping. */
    SHUTDOWN("shutdown"),
    /** An RPC call closed it ({@code tcp.Close}, or a {@code tcp.Send}/{@code tcp.Broadcast} the client did not read). */
    RPC("rpc"),
    /** A read or write failed (e.g. connection reset by the client). */
    ERROR("error");

    private final String label;

    CloseReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The reason for a limit named by its config key; ERROR for a key that is not a limit. */
    static CloseReason ofLimit(String key) {
        for (CloseReason r : values()) {
            if (r.label.equals(key)) {
                return r;
            }
        }
        return ERROR;
    }

    /** The reason for a close by rr-tcp itself, from the name {@link Connection#close(String)} was given. */
    static CloseReason ofClosedBy(String closedBy) {
        if (closedBy.startsWith("tcp.")) {
            return RPC;
        }
        CloseReason r = ofLimit(closedBy);
        return r != ERROR ? r : closedBy.equals("shutdown") ? SHUTDOWN : ERROR;
    }
}
