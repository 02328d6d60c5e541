package io.rrtcp.tcp;

import java.io.InputStream;
import java.util.Arrays;

/**
 * A stream whose reads never cross the given cut positions, as TCP segments could cut it; with {@code oneByte}, every
 * read returns one byte. {@link #available()} counts the bytes before the next cut, as a socket counts the bytes that
 * have arrived.
 */
final class SplitInput extends InputStream {
    private final byte[] data;
    private final int[] cuts;
    private final boolean oneByte;
    private int pos;
    private int reads;

    private SplitInput(byte[] data, int[] cuts, boolean oneByte) {
        this.data = data;
        this.cuts = cuts.clone();
        Arrays.sort(this.cuts);
        this.oneByte = oneByte;
    }

    /** Reads end at each cut (and wherever the reader's buffer ends). */
    static SplitInput cutAt(byte[] data, int... cuts) {
        return new SplitInput(data, cuts, false);
    }

    static SplitInput oneByteReads(byte[] data) {
        return new SplitInput(data, new int[0], true);
    }

    int reads() {
        return reads;
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException("framers read in blocks");
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos == data.length) {
            return -1;
        }
        reads++;
        int n = Math.min(Math.min(len, oneByte ? 1 : nextCut() - pos), data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return oneByte ? Math.min(1, data.length - pos) : nextCut() - pos;
    }

    private int nextCut() {
        for (int cut : cuts) {
            if (cut > pos) {
                return Math.min(cut, data.length);
            }
        }
        return data.length;
    }
}
