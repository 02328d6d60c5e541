package io.rrtcp.tcp;

/** A client sent more bytes than the message cap ({@code max_message_size}) without a delimiter. */
public final class MessageTooLargeException extends LimitExceededException {
    private final long received;
    private final long limit;

    public MessageTooLargeException(long received, long limit) {
        super("max_message_size", received + " bytes arrived without a delimiter; the limit is " + limit + " bytes");
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
