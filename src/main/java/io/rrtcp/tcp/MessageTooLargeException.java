package io.rrtcp.tcp;

/**
 * A client's message is longer than the cap ({@code max_message_size}): more bytes arrived without a delimiter, or a
 * length field declared a longer frame.
 */
public final class MessageTooLargeException extends LimitExceededException {
    private final long received;
    private final long limit;

    /** @param delimited whether the delimiter came (the message is whole, just too long) */
    public MessageTooLargeException(long received, long limit, boolean delimited) {
        this(received, limit, delimited
                ? "a " + received + "-byte message arrived (delimiter included); the limit is " + limit + " bytes"
                : received + " bytes arrived without a delimiter; the limit is " + limit + " bytes");
    }

    private MessageTooLargeException(long received, long limit, String message) {
        super("max_message_size", message);
        this.received = received;
        this.limit = limit;
    }

    /** A frame whose header declares {@code declared} bytes (the whole frame), before its body was read. */
    public static MessageTooLargeException declared(String declared, long limit) {
        return new MessageTooLargeException(0, limit, "the length field declares a frame of " + declared
                + " bytes; the limit is " + limit + " bytes (its body was not read)");
    }

    public long received() {
        return received;
    }

    public long limit() {
        return limit;
    }
}
