package io.rrtcp.tcp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelimiterScannerTest {
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Hands out the stream in reads of the given sizes (cycling), like TCP segments would. */
    private static class ChunkedInput extends InputStream {
        private final byte[] data;
        private final int[] sizes;
        private int pos;
        private int read;

        ChunkedInput(byte[] data, int... sizes) {
            this.data = data;
            this.sizes = sizes;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the scanner must read in blocks");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, sizes[read++ % sizes.length]), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static List<String> scanAll(DelimiterScanner scanner) throws IOException {
        List<String> out = new ArrayList<>();
        for (byte[] m; (m = scanner.next()) != null; ) {
            out.add(new String(m, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> scan(String stream, String delimiter, int... chunkSizes) throws IOException {
        return scanAll(new DelimiterScanner(new ChunkedInput(stream.getBytes(StandardCharsets.UTF_8), chunkSizes),
                delimiter.getBytes(StandardCharsets.UTF_8), 1 << 20, Integer.MAX_VALUE - 1024));
    }

    @Test
    void pipelinedMessagesBecomeSeparateMessages() throws IOException {
        assertEquals(List.of("HELO a\r\n", "MAIL FROM:<x>\r\n", "QUIT\r\n"),
                scan("HELO a\r\nMAIL FROM:<x>\r\nQUIT\r\n", "\r\n", 1000));
    }

    @Test
    void everySplitOfTheStreamGivesTheSameMessages() throws IOException {
        String stream = "ping\r\n\r\nx\r\nlonger message here\r\r\n\n\rtail";
        List<String> expected = List.of("ping\r\n", "\r\n", "x\r\n", "longer message here\r\r\n", "\n\rtail");
        for (int first = 1; first <= stream.length(); first++) {
            for (int rest = 1; rest <= 7; rest++) {
                assertEquals(expected, scan(stream, "\r\n", first, rest), "reads of " + first + " then " + rest);
            }
        }
    }

    @Test
    void multiByteDelimiterIsFoundAcrossEveryReadBoundary() throws IOException {
        String stream = "a--end--bb--end----end--c-end--d--en";
        List<String> expected = List.of("a--end--", "bb--end--", "--end--", "c-end--d--en");
        for (int size = 1; size <= stream.length(); size++) {
            assertEquals(expected, scan(stream, "--end--", size), "reads of " + size);
        }
    }

    @Test
    void singleByteReadsWork() throws IOException {
        assertEquals(List.of("x\n", "y\n"), scan("x\ny\n", "\n", 1));
    }

    @Test
    void leftoverWithoutDelimiterAtEofIsTheLastMessage() throws IOException {
        assertEquals(List.of("done\r\n", "partial"), scan("done\r\npartial", "\r\n", 3));
        assertEquals(List.of("x"), scan("x", "\r\n", 1));
        assertEquals(List.of(), scan("", "\r\n", 1));
    }

    @Test
    void aLongMessageIsReassembledFromSmallReads() throws IOException {
        String big = "z".repeat(300_000) + "\r\n";
        DelimiterScanner scanner = new DelimiterScanner(new ChunkedInput(big.getBytes(StandardCharsets.US_ASCII), 8),
                CRLF, 8, Integer.MAX_VALUE - 1024);
        assertEquals(big, new String(scanner.next(), StandardCharsets.US_ASCII));
        assertNull(scanner.next());
    }

    @Test
    void readsAskForAtMostReadBufSize() throws IOException {
        byte[] data = ("q".repeat(100_000) + "\n").getBytes(StandardCharsets.US_ASCII);
        int[] largest = {0};
        InputStream in = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                largest[0] = Math.max(largest[0], len);
                return super.read(b, off, len);
            }
        };
        DelimiterScanner scanner = new DelimiterScanner(in, new byte[]{'\n'}, 4096, Integer.MAX_VALUE - 1024);
        assertEquals(data.length, scanner.next().length);
        assertTrue(largest[0] <= 4096, "largest read " + largest[0]);
    }

    @Test
    void bufferStartsEmptyGrowsForALongMessageAndShrinksAfterIt() throws IOException {
        byte[] data = ("a".repeat(1_000_000) + "\nshort\n").getBytes(StandardCharsets.US_ASCII);
        DelimiterScanner scanner = new DelimiterScanner(new ByteArrayInputStream(data), new byte[]{'\n'}, 1 << 20,
                Integer.MAX_VALUE - 1024);
        assertEquals(0, scanner.bufferCapacity(), "nothing allocated before the first read");
        assertEquals(1_000_001, scanner.next().length);
        assertTrue(scanner.bufferCapacity() <= DelimiterScanner.IDLE_BUFFER, "capacity " + scanner.bufferCapacity());
        assertEquals("short\n", new String(scanner.next(), StandardCharsets.US_ASCII));
        assertTrue(scanner.bufferCapacity() <= DelimiterScanner.IDLE_BUFFER);
    }

    @Test
    void aMessageGrowingPastTheCapFailsWithoutReadingMuchFurther() {
        byte[] endless = new byte[10_000];
        Arrays.fill(endless, (byte) 'x');
        ChunkedInput in = new ChunkedInput(endless, 100);
        DelimiterScanner scanner = new DelimiterScanner(in, CRLF, 1 << 20, 1000);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, scanner::next);
        assertEquals(1000, e.limit());
        assertTrue(scanner.bytesRead() <= 1002, "read " + scanner.bytesRead());
    }

    @Test
    void aMessageOfExactlyTheCapIsAccepted() throws IOException {
        String message = "y".repeat(998) + "\r\n";
        DelimiterScanner scanner = new DelimiterScanner(new ChunkedInput(message.getBytes(StandardCharsets.US_ASCII), 7),
                CRLF, 64, 1000);
        assertEquals(1000, scanner.next().length);
    }

    /** A message of {@code length} bytes whose content tells where each byte was, ending in {@code delimiter}. */
    private static byte[] numbered(int length, byte[] delimiter) {
        byte[] m = new byte[length];
        for (int i = 0; i < length - delimiter.length; i++) {
            m[i] = (byte) ('a' + i % 23);
        }
        System.arraycopy(delimiter, 0, m, length - delimiter.length, delimiter.length);
        return m;
    }

    @Test
    void aMessageLongerThanAChunkStaysInItsChunksAndTheBufferNeverGrowsPastOne() throws IOException {
        int chunk = DelimiterScanner.MIN_CHUNK;
        byte[] delimiter = "<END>".getBytes(StandardCharsets.US_ASCII);
        for (int shift = 0; shift < delimiter.length; shift++) { // the delimiter straddles a chunk boundary each way
            byte[] first = numbered(3 * chunk + shift + 2, delimiter);
            byte[] second = "tail<END>".getBytes(StandardCharsets.US_ASCII);
            byte[] data = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, data, first.length, second.length);
            int[] largest = {0};
            DelimiterScanner scanner = new DelimiterScanner(new ChunkedInput(data, 1000, 4096, 77) {
                @Override
                public int read(byte[] b, int off, int len) {
                    largest[0] = Math.max(largest[0], b.length);
                    return super.read(b, off, len);
                }
            }, delimiter, 4096, Integer.MAX_VALUE - 1024);
            io.rrtcp.goridge.Body body = scanner.nextBody();
            assertEquals(first.length, body.length());
            assertTrue(body.slices().size() >= 3, "kept in chunks: " + body);
            assertTrue(Arrays.equals(first, body.toArray()), "shift " + shift);
            assertEquals(chunk, largest[0], "the buffer read into is never larger than one chunk");
            assertTrue(scanner.bufferCapacity() <= DelimiterScanner.IDLE_BUFFER, "back to small after it");
            assertEquals("tail<END>", new String(scanner.next(), StandardCharsets.US_ASCII));
            assertNull(scanner.next());
        }
    }

    @Test
    void bytesPipelinedAfterAChunkedMessageAreKept() throws IOException {
        byte[] big = numbered(200_000, new byte[]{'\n'});
        byte[] rest = "one\ntwo\nthr".getBytes(StandardCharsets.US_ASCII);
        byte[] data = Arrays.copyOf(big, big.length + rest.length);
        System.arraycopy(rest, 0, data, big.length, rest.length);
        DelimiterScanner scanner = new DelimiterScanner(new ByteArrayInputStream(data), new byte[]{'\n'}, 1 << 16,
                Integer.MAX_VALUE - 1024);
        assertTrue(Arrays.equals(big, scanner.next()));
        assertEquals(List.of("one\n", "two\n", "thr"), scanAll(scanner));
    }

    @Test
    void theCapCountsEveryChunkOfAMessage() {
        byte[] endless = new byte[1 << 20];
        Arrays.fill(endless, (byte) 'x');
        DelimiterScanner scanner = new DelimiterScanner(new ChunkedInput(endless, 5000), CRLF, 4096, 300_000);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, scanner::next);
        assertEquals(300_000, e.limit());
        assertTrue(scanner.bytesRead() <= 300_002, "read " + scanner.bytesRead());
    }

    @Test
    void rejectsAnEmptyDelimiter() {
        assertThrows(IllegalArgumentException.class,
                () -> new DelimiterScanner(new ByteArrayInputStream(new byte[0]), new byte[0], 10, 10));
    }
}
