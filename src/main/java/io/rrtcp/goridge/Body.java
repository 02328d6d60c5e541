package io.rrtcp.goridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a message body as one or more slices of arrays. A long message is kept in the chunks it arrived in
 * and written out slice by slice, so that no step of the path needs a second copy of it in one piece.
 * Slices are handed over, not copied; the arrays belong to the body from then on.
 */
public final class Body {
    public static final Body EMPTY = new Body(List.of(), 0);

    /** A part of an array: {@code array[offset, offset + length)}. */
    public record Slice(byte[] array, int offset, int length) {
        public Slice {
            if (offset < 0 || length < 0 || offset + length > array.length) {
                throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + array.length);
            }
        }
    }

    private final List<Slice> slices;
    private final long length;

    private Body(List<Slice> slices, long length) {
        this.slices = slices;
        this.length = length;
    }

    public static Body of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Body(List.of(new Slice(bytes, 0, bytes.length)), bytes.length);
    }

    public static Body of(List<Slice> slices) {
        long total = 0;
        for (Slice s : slices) {
            total += s.length();
        }
        return new Body(List.copyOf(slices), total);
    }

    public long length() {
        return length;
    }

    public List<Slice> slices() {
        return slices;
    }

    /** The bytes in one array: the array itself when the body is exactly one whole array, else a copy. */
    public byte[] toArray() {
        if (slices.size() == 1 && slices.get(0).offset() == 0 && slices.get(0).length() == slices.get(0).array().length) {
            return slices.get(0).array();
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("body of " + length + " bytes does not fit in one array");
        }
        byte[] all = new byte[(int) length];
        int at = 0;
        for (Slice s : slices) {
            System.arraycopy(s.array(), s.offset(), all, at, s.length());
            at += s.length();
        }
        return all;
    }

    public void writeTo(OutputStream out) throws IOException {
        for (Slice s : slices) {
            out.write(s.array(), s.offset(), s.length());
        }
    }

    /**
     * Reads exactly {@code length} bytes: into one array up to {@code chunk} bytes, beyond that into arrays of
     * {@code chunk} bytes, taken first from {@code reuse} (arrays nobody needs any more, such as the request's when
     * the reply to it is read), so that an echo of a long message allocates nothing new.
     *
     * @return the body, or {@code null} when the stream ended first
     */
    public static Body read(InputStream in, long length, int chunk, List<byte[]> reuse) throws IOException {
        if (length == 0) {
            return EMPTY;
        }
        if (length <= chunk) {
            byte[] bytes = new byte[(int) length];
            return in.readNBytes(bytes, 0, bytes.length) == bytes.length ? of(bytes) : null;
        }
        List<Slice> slices = new ArrayList<>();
        int reused = 0;
        long left = length;
        while (left > 0) {
            byte[] array = reused < reuse.size() ? reuse.get(reused++) : new byte[(int) Math.min(chunk, left)];
            int n = (int) Math.min(array.length, left);
            if (in.readNBytes(array, 0, n) != n) {
                return null;
            }
            slices.add(new Slice(array, 0, n));
            left -= n;
        }
        return new Body(List.copyOf(slices), length);
    }

    /** The arrays of a body made of several slices, for {@link #read} to fill again; none for a one-array body. */
    public List<byte[]> reusableArrays() {
        if (slices.size() < 2) {
            return List.of();
        }
        List<byte[]> arrays = new ArrayList<>(slices.size());
        for (Slice s : slices) {
            if (arrays.stream().noneMatch(a -> a == s.array())) {
                arrays.add(s.array());
            }
        }
        return arrays;
    }

    @Override
    public String toString() {
        return "Body[" + length + " bytes in " + slices.size() + " slice(s)]";
    }
}
