package io.rrtcp.config;

/**
 * How long a delimiter may be. It must fit in a message ({@code max_message_size}, which counts the delimiter), and in
 * one read buffer ({@code read_buf_size}): the scanner finds a delimiter within the chunk it reads into and carries
 * only a delimiter's length of bytes from one chunk to the next, so a longer one could never be found.
 */
final class DelimiterBounds {
    private DelimiterBounds() {
    }

    static void check(Node node, String server, byte[] delimiter, int readBufSize, int maxMessageSize) {
        String prefix = "tcp.servers." + server + ".";
        if (delimiter.length > maxMessageSize) {
            throw node.error("the delimiter is " + delimiter.length + " bytes, longer than max_message_size ("
                    + maxMessageSize + " bytes), which counts the delimiter: no message could ever end; shorten the"
                    + " delimiter or raise " + prefix + "max_message_size");
        }
        if (delimiter.length > readBufSize) {
            throw node.error("the delimiter is " + delimiter.length + " bytes, longer than read_buf_size ("
                    + readBufSize + " bytes): a delimiter must fit in one read buffer; shorten it or raise "
                    + prefix + "read_buf_size (in MB)");
        }
    }
}
