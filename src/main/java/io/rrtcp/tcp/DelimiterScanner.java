package io.rrtcp.tcp;

import io.rrtcp.goridge.Body;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a byte stream into messages at <em>every</em> delimiter; each message keeps its delimiter (upstream's DATA
 * body does). It is a buffered input stream whose buffer follows the traffic: none while a quiet connection waits
 * for its next message (see {@link IdleWait}), a small one while a busy one does, growing (reads of up to
 * {@code read_buf_size}) while a long message arrives, and back to small once that message has been handed out, so
 * an idle connection holds no buffer and a busy one never a {@code read_buf_size} one.
 * A message longer than one chunk ({@code read_buf_size}, at least 64 KiB) is kept in the chunks it arrived in and
 * handed out as a {@link Body} of them: it is never copied, and the buffer never grows past one chunk.
 * Not thread-safe: one connection's thread owns it.
 */
public final class DelimiterScanner implements Framer {
    /** Buffer kept while idle; also the first read's size. */
    public static final int IDLE_BUFFER = 1024;
    /** The smallest chunk a long message is kept in. */
    static final int MIN_CHUNK = 64 * 1024;
    private static final byte[] NONE = new byte[0];

    private final InputStream in;
    private final byte[] delimiter;
    private final int readSize;
    private final int maxMessageSize;
    private final int idleBuffer;
    private final int chunkSize;
    private final ReadGuard guard;
    private final IdleWait idle;
    private byte[] buf = NONE;
    /** Pending bytes are buf[start, end). */
    private int start;
    private int end;
    /** Where the delimiter search resumes; everything before it is known not to start a delimiter. */
    private int searchFrom;
    /** Earlier chunks of the pending message, which begins in them; buf then holds only its latest part. */
    private final List<Body.Slice> spilled = new ArrayList<>();
    private long spilledLength;
    private boolean eof;
    private long bytesRead;

    /**
     * @param readSize       the most bytes one read asks for ({@code read_buf_size})
     * @param maxMessageSize the longest message (delimiter included) accepted before {@link MessageTooLargeException}
     */
    public DelimiterScanner(InputStream in, byte[] delimiter, int readSize, int maxMessageSize) {
        this(in, delimiter, readSize, maxMessageSize, ReadGuard.NONE);
    }

    /** As above, with {@code guard} consulted before every read (timeouts). */
    public DelimiterScanner(InputStream in, byte[] delimiter, int readSize, int maxMessageSize, ReadGuard guard) {
        this(in, delimiter, readSize, maxMessageSize, guard, IdleWait.system());
    }

    DelimiterScanner(InputStream in, byte[] delimiter, int readSize, int maxMessageSize, ReadGuard guard,
                     IdleWait idle) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        if (readSize < 1 || maxMessageSize < delimiter.length) {
            throw new IllegalArgumentException("read size must be positive and the message cap at least the delimiter");
        }
        this.in = in;
        this.delimiter = delimiter.clone();
        this.readSize = readSize;
        this.maxMessageSize = maxMessageSize;
        this.idleBuffer = Math.min(IDLE_BUFFER, readSize);
        this.chunkSize = Math.max(readSize, MIN_CHUNK);
        this.guard = guard;
        this.idle = idle;
    }

    /**
     * The next message, delimiter included, in one array. At end of stream, bytes left without a delimiter come as one
     * last message; after that, {@code null}.
     *
     * @throws MessageTooLargeException when {@code maxMessageSize} bytes arrived without a delimiter
     */
    public byte[] next() throws IOException {
        Body body = nextBody();
        return body == null ? null : body.toArray();
    }

    /** As {@link #next()}, with a long message in the chunks it arrived in. */
    @Override
    public Body nextBody() throws IOException {
        while (true) {
            int at = indexOfDelimiter();
            if (at >= 0) {
                long length = spilledLength + (at + delimiter.length - start);
                if (length > maxMessageSize) { // a read may carry the delimiter just past the cap
                    throw new MessageTooLargeException(length, maxMessageSize, true);
                }
                return take(at + delimiter.length);
            }
            searchFrom = Math.max(start, end - delimiter.length + 1);
            // one byte past the cap before refusing: the count logged is then more than the limit, as the message is
            if (pending() > maxMessageSize) {
                throw new MessageTooLargeException(pending(), maxMessageSize, false);
            }
            if (eof) {
                return pending() > 0 ? take(end) : null;
            }
            fill();
        }
    }

    /** Bytes of the message that is arriving. */
    private long pending() {
        return spilledLength + (end - start);
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public int buffered() {
        return (int) pending();
    }

    @Override
    public int bufferCapacity() {
        return buf.length;
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        int last = end - delimiter.length;
        outer:
        for (int i = searchFrom; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int k = 1; k < delimiter.length; k++) {
                if (buf[i + k] != delimiter[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private Body take(int messageEnd) {
        if (!spilled.isEmpty()) {
            return takeChunks(messageEnd);
        }
        byte[] message = Arrays.copyOfRange(buf, start, messageEnd);
        start = messageEnd;
        searchFrom = start;
        int pending = end - start;
        if (pending == 0) {
            start = 0;
            end = 0;
            searchFrom = 0;
        }
        if (buf.length > idleBuffer && pending <= idleBuffer / 2) {
            // the long message is gone: keep what is pending in a small buffer and give the big one back
            moveRestTo(new byte[idleBuffer]);
        }
        return Body.of(message);
    }

    /** A message that began in earlier chunks: they and the current buffer go out with it, the rest is moved. */
    private Body takeChunks(int messageEnd) {
        List<Body.Slice> slices = new ArrayList<>(spilled);
        if (messageEnd > start) {
            slices.add(new Body.Slice(buf, start, messageEnd - start));
        }
        spilled.clear();
        spilledLength = 0;
        start = messageEnd;
        int rest = end - start;
        moveRestTo(new byte[rest <= idleBuffer / 2 ? idleBuffer : buf.length]);
        return Body.of(slices);
    }

    private void moveRestTo(byte[] fresh) {
        int rest = end - start;
        System.arraycopy(buf, start, fresh, 0, rest);
        buf = fresh;
        start = 0;
        end = rest;
        searchFrom = 0;
    }

    private void fill() throws IOException {
        guard.beforeRead(end > start);
        boolean betweenMessages = pending() == 0;
        if (betweenMessages && idle.quiet()) {
            waitWithoutBuffer();
            return;
        }
        makeRoom();
        int room = Math.min(readSize, buf.length - end);
        // never read past the cap by more than the delimiter: the excess could not be used anyway
        room = (int) Math.min(room, maxMessageSize - pending() + delimiter.length);
        int n = idle.read(in, buf, end, Math.max(1, room), betweenMessages);
        if (n < 0) {
            eof = true;
            return;
        }
        end += n;
        bytesRead += n;
    }

    /** A quiet connection's wait for its next message: the buffer is dropped, the first byte starts a fresh one. */
    private void waitWithoutBuffer() throws IOException {
        buf = NONE;
        start = 0;
        end = 0;
        searchFrom = 0;
        buf = idle.firstByte(in, idleBuffer);
        eof = buf.length == 0;
        end = eof ? 0 : 1;
        bytesRead += end;
    }

    private void makeRoom() {
        if (buf.length == 0) {
            buf = new byte[idleBuffer];
            return;
        }
        if (end < buf.length) {
            return;
        }
        int pending = end - start;
        if (start > 0 && pending <= buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, pending); // slide pending bytes to the front instead of growing
        } else if (buf.length >= chunkSize && searchFrom > start) {
            spill();
            return;
        } else {
            long wanted = Math.max((long) buf.length * 2, (long) pending + Math.min(readSize, idleBuffer));
            if (buf.length < chunkSize) {
                wanted = Math.min(wanted, chunkSize); // beyond one chunk a message spills into more chunks
            }
            int capacity = (int) Math.min(wanted, (long) maxMessageSize + delimiter.length);
            byte[] bigger = new byte[Math.max(capacity, pending + 1)];
            System.arraycopy(buf, start, bigger, 0, pending);
            buf = bigger;
        }
        searchFrom -= start;
        start = 0;
        end = pending;
    }

    /**
     * The buffer is a full chunk of a message still without its delimiter: hand that chunk to the message and go on
     * in a new one. Only the few bytes that could still begin a delimiter move along.
     */
    private void spill() {
        spilled.add(new Body.Slice(buf, start, searchFrom - start));
        spilledLength += searchFrom - start;
        start = searchFrom;
        moveRestTo(new byte[chunkSize]);
    }
}
