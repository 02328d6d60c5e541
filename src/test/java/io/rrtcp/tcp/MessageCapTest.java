package io.rrtcp.tcp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** max_message_size counts the delimiter, and the error says how long the message really was (issue 10, also noted). */
class MessageCapTest {
    private static DelimiterScanner scanner(String data) {
        return new DelimiterScanner(new ByteArrayInputStream(data.getBytes(StandardCharsets.US_ASCII)),
                new byte[]{'\n'}, 1 << 20, 1024);
    }

    @Test
    void aMessageOfExactlyTheCapDelimiterIncludedPasses() throws IOException {
        assertEquals(1024, scanner("x".repeat(1023) + "\n").next().length);
    }

    @Test
    void aMessageOneByteOverTheCapIsRefusedAndLoggedAsWhatArrived() {
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> scanner("x".repeat(1024) + "\n").next());
        assertEquals("a 1025-byte message arrived (delimiter included); the limit is 1024 bytes", e.getMessage());
    }

    @Test
    void aLongStreamWithoutDelimiterSaysMoreThanTheCap() {
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> scanner("x".repeat(5000)).next());
        assertEquals("1025 bytes arrived without a delimiter; the limit is 1024 bytes", e.getMessage());
    }
}
