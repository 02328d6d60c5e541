package io.rrtcp.goridge;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodyTest {
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void oneWholeArrayIsHandedBackAsIsAndSlicesAreJoinedInOrder() throws IOException {
        byte[] one = bytes(10);
        assertSame(one, Body.of(one).toArray());
        byte[] a = bytes(100);
        Body body = Body.of(List.of(new Body.Slice(a, 10, 20), new Body.Slice(a, 50, 5)));
        assertEquals(25, body.length());
        byte[] expected = new byte[25];
        System.arraycopy(a, 10, expected, 0, 20);
        System.arraycopy(a, 50, expected, 20, 5);
        assertArrayEquals(expected, body.toArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        assertArrayEquals(expected, out.toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> new Body.Slice(a, 90, 11));
    }

    @Test
    void aShortBodyIsReadIntoOneArrayAndALongOneIntoChunks() throws IOException {
        byte[] data = bytes(10_000);
        Body small = Body.read(new ByteArrayInputStream(data), 1000, 4096, List.of());
        assertEquals(1, small.slices().size());
        assertArrayEquals(Arrays.copyOf(data, 1000), small.toArray());

        Body big = Body.read(new ByteArrayInputStream(data), 10_000, 4096, List.of());
        assertEquals(List.of(4096, 4096, 1808), big.slices().stream().map(Body.Slice::length).toList());
        assertArrayEquals(data, big.toArray());
    }

    @Test
    void aLongBodyRefillsTheArraysItIsGivenBeforeAllocatingAny() throws IOException {
        Body request = Body.of(List.of(new Body.Slice(new byte[3000], 0, 3000), new Body.Slice(new byte[3000], 0, 3000)));
        List<byte[]> reusable = request.reusableArrays();
        assertEquals(2, reusable.size());
        byte[] data = bytes(7000);
        Body reply = Body.read(new ByteArrayInputStream(data), 7000, 3000, reusable);
        assertSame(reusable.get(0), reply.slices().get(0).array());
        assertSame(reusable.get(1), reply.slices().get(1).array());
        assertEquals(3, reply.slices().size());
        assertArrayEquals(data, reply.toArray());
        assertTrue(Body.of(bytes(5)).reusableArrays().isEmpty(), "a one-array body is not offered for reuse");
    }

    @Test
    void aStreamThatEndsEarlyGivesNull() throws IOException {
        assertNull(Body.read(new ByteArrayInputStream(bytes(10)), 11, 4096, List.of()));
        assertNull(Body.read(new ByteArrayInputStream(bytes(5000)), 9000, 4096, List.of()));
    }
}
