package io.rrtcp.tcp;

import io.rrtcp.goridge.Body;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawFramerTest {
    private static final int MB = 1 << 20;

    private static List<Integer> messageSizes(RawFramer framer) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        for (Body b; (b = framer.nextBody()) != null; ) {
            sizes.add((int) b.length());
        }
        return sizes;
    }

    @Test
    void everyReadIsOneMessageWithItsBytesUnchanged() throws IOException {
        byte[] data = LengthFramerTest.pattern(600, 0);
        RawFramer framer = new RawFramer(SplitInput.cutAt(data, 1, 11, 311), MB, 16 * MB, ReadGuard.NONE);
        assertArrayEquals(Arrays.copyOfRange(data, 0, 1), framer.nextBody().toArray());
        assertArrayEquals(Arrays.copyOfRange(data, 1, 11), framer.nextBody().toArray());
        assertArrayEquals(Arrays.copyOfRange(data, 11, 311), framer.nextBody().toArray());
        assertArrayEquals(Arrays.copyOfRange(data, 311, 600), framer.nextBody().toArray());
        assertNull(framer.nextBody());
        assertEquals(600, framer.bytesRead());
    }

    @Test
    void whatHasArrivedIsOneMessageUpToReadBufSizeWhileTheBufferStaysSmall() throws IOException {
        byte[] data = LengthFramerTest.pattern(5000, 3);
        RawFramer all = new RawFramer(SplitInput.cutAt(data), MB, 16 * MB, ReadGuard.NONE);
        assertArrayEquals(data, all.nextBody().toArray(), "5000 bytes that had arrived: one read of read_buf_size");
        assertEquals(DelimiterScanner.IDLE_BUFFER, all.bufferCapacity());
        assertEquals(List.of(2000, 2000, 1000),
                messageSizes(new RawFramer(SplitInput.cutAt(data), 2000, 16 * MB, ReadGuard.NONE)));
    }

    @Test
    void maxMessageSizeCapsARead() throws IOException {
        byte[] data = LengthFramerTest.pattern(1200, 0);
        assertEquals(List.of(500, 500, 200), messageSizes(new RawFramer(SplitInput.cutAt(data), MB, 500, ReadGuard.NONE)));
    }

    @Test
    void oneByteReadsAreOneByteMessages() throws IOException {
        byte[] data = LengthFramerTest.pattern(5, 0);
        assertEquals(List.of(1, 1, 1, 1, 1), messageSizes(new RawFramer(SplitInput.oneByteReads(data), MB, 16 * MB,
                ReadGuard.NONE)));
    }

    @Test
    void noBufferBeforeTheFirstReadAndNoMessageIsEverStarted() throws IOException {
        List<Boolean> started = new ArrayList<>();
        RawFramer framer = new RawFramer(SplitInput.cutAt(new byte[3000], 100), MB, 16 * MB, started::add);
        assertEquals(0, framer.bufferCapacity());
        messageSizes(framer);
        assertTrue(started.stream().noneMatch(s -> s), "read_timeout never applies: " + started);
    }
}
