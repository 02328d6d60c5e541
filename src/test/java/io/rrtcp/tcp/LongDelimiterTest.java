package io.rrtcp.tcp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Delimiters up to read_buf_size work (issue 10, item 4: longer ones are refused by the config). */
class LongDelimiterTest {
    private static final int MB = 1 << 20;

    /** Hands out at most {@code step} bytes per read, as a socket does. */
    private static InputStream trickle(byte[] data, int step) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }

    @Test
    void aDelimiterAsLongAsReadBufSizeSplitsMessages() throws IOException {
        byte[] delimiter = new byte[MB];
        Arrays.fill(delimiter, (byte) 'D');
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] world = "world".getBytes(StandardCharsets.US_ASCII);
        for (int step : new int[]{4096, 65_536, 3 * MB}) {
            DelimiterScanner scanner = new DelimiterScanner(trickle(concat(hello, delimiter, world, delimiter), step),
                    delimiter, MB, 4 * MB);
            assertArrayEquals(concat(hello, delimiter), scanner.next(), "step " + step);
            assertArrayEquals(concat(world, delimiter), scanner.next(), "step " + step);
            assertNull(scanner.next());
        }
    }
}
