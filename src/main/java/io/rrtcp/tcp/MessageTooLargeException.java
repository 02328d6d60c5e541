package io.rrtcp.tcp;

import java.io.IOException;

/** A client sent more bytes than the message cap without a delimiter. */
public final class MessageTooLargeException extends IOException {
    private final long received;
    private final long limit;

    public MessageTooLargeException(long received, long limit) {
        super(received + " bytes arrived without a delimiter; the limit is " + limit + " bytes");
        this.received = received;
        this.limit = limit;
    }

    public long received() {
        return received;
    }

    public long limit() {
        return limit;
    }
}
