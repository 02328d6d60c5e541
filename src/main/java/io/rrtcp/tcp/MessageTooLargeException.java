package io.rrtcp.tcp;

/** A client sent more bytes than the message cap ({@code max_message_size}) without a delimiter. */
public final class MessageTooLargeException extends LimitExceededException {
    private final long received;
    private final long limit;

    /** @param delimited whether the delimiter came (the message is whole, just too long) */
    public MessageTooLargeException(long received, long limit, boolean delimited) {
        super("max_message_size", delimited
                ? "a " + received + "-byte message arrived (delimiter included); the limit is " + limit + " bytes"
                : received + " bytes arrived without a delimiter; the limit is " + limit + " bytes");
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
