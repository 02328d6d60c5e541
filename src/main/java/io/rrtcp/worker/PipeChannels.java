package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Optional;

/**
 * A worker's stdin and stdout as the JDK's own pipe channels instead of {@link Process}'s streams.
 *
 * <p>Why: the JDK treats a read or write on a child process's pipe as file I/O. A virtual thread blocked in one holds
 * its carrier, and the scheduler wakes a spare carrier for the time of every such call (two futex calls and a
 * context switch each, twice per message). A {@link Pipe.SourceChannel} or {@link Pipe.SinkChannel} in blocking mode,
 * used by a virtual thread, is non-blocking underneath and parks on the JDK's poller like a socket does: the carrier
 * serves other connections while the worker thinks. Measured with {@code bin/rr-tcp-bench profile 2 64 0}: see
 * docs/benchmarks.md.
 *
 * <p>How: the channels are built on the process's own pipe descriptors, taken out of its streams. The streams are
 * left holding empty stand-ins, so that the JDK's process reaper, which drains and closes them when the process exits,
 * neither steals a last reply nor closes a descriptor the channel still uses; the worker closes the channels itself
 * ({@link #close}). This needs {@code --add-opens java.base/java.io=ALL-UNNAMED} and
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the jar's manifest carries both). Without them, or on a JDK
 * whose internals differ, {@link #take} returns empty and the worker uses the process streams as before.
 */
public final class PipeChannels implements AutoCloseable {
    /** The JVM options that open what this class needs (also in the jar's manifest, for {@code java -jar}). */
    public static final List<String> JVM_OPTIONS = List.of("--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
    private static final Log LOG = Log.get("server");
    /** Set to "streams" to keep the process streams (for comparison, and as a way out). */
    static final String PROPERTY = "rrtcp.worker.pipes";
    private static final Access ACCESS = Access.load();

    /** How much one look for unsolicited output reads ahead (and so the most it reports at once). */
    static final int PROBE_BYTES = 4096;
    /**
     * Spinning is tried while the typical wait for an answer is below this (40 µs; the property
     * {@code rrtcp.worker.spin.limit.us} changes it, for measurements of what spinning buys and costs).
     */
    static final long SPIN_LIMIT_NANOS = Long.getLong("rrtcp.worker.spin.limit.us", 40) * 1000;

    private final Pipe.SourceChannel fromWorker;
    private final Pipe.SinkChannel toWorker;
    /**
     * Bytes that {@code available()} found by reading ahead (one non-blocking read: a single syscall where FIONREAD
     * on a {@link FileInputStream} costs an fstat and an ioctl); the next reads hand them out first.
     */
    private final ByteBuffer probed = ByteBuffer.allocate(PROBE_BYTES).flip();
    /** Set when a probe met the end of the worker's output; the next read that finds no probed bytes returns -1. */
    private boolean probedEof;
    /** A moving average of how long reads that found nothing waited for data (starts at the limit: no spinning). */
    private volatile long typicalWaitNanos = SPIN_LIMIT_NANOS;
    /** The floor of recent waits (see {@link #nextFloorWait}); decides chains, not spinning. */
    private volatile long floorWaitNanos = SPIN_LIMIT_NANOS;

    private PipeChannels(Pipe.SourceChannel fromWorker, Pipe.SinkChannel toWorker) {
        this.fromWorker = fromWorker;
        this.toWorker = toWorker;
    }

    /** Why channels cannot be used in this JVM, or null when they can. */
    public static String unavailable() {
        return ACCESS.problem;
    }

    /** How worker pipes are served, for the start-up log line: "poller", or "streams (why)". */
    public static String mode() {
        return ACCESS.problem == null ? "poller" : "streams (" + ACCESS.problem + ")";
    }

    /**
     * Takes the worker's stdout and stdin out of {@code process}'s streams as channels; empty when this JVM does not
     * allow it, in which case the streams are untouched.
     */
    static Optional<PipeChannels> take(Process process) {
        if (ACCESS.problem != null) {
            return Optional.empty();
        }
        InputStream stdout = process.getInputStream();
        OutputStream stdin = process.getOutputStream();
        try {
            if (!(stdout instanceof FilterInputStream) || !(stdin instanceof FilterOutputStream)
                    || !(ACCESS.in.get(stdout) instanceof FileInputStream outOfWorker)
                    || !(ACCESS.out.get(stdin) instanceof FileOutputStream intoWorker)) {
                LOG.debug("worker pipes are not file streams here; using the process streams", "pid", process.pid());
                return Optional.empty();
            }
            FileDescriptor readFd = outOfWorker.getFD();
            FileDescriptor writeFd = intoWorker.getFD();
            Pipe.SourceChannel source = (Pipe.SourceChannel) ACCESS.source.newInstance(SelectorProvider.provider(), readFd);
            Pipe.SinkChannel sink = (Pipe.SinkChannel) ACCESS.sink.newInstance(SelectorProvider.provider(), writeFd);
            // From here on the descriptors belong to the channels; the streams hold empty stand-ins.
            synchronized (stdout) {
                ACCESS.in.set(stdout, InputStream.nullInputStream());
            }
            synchronized (stdin) {
                ACCESS.out.set(stdin, OutputStream.nullOutputStream());
            }
            source.configureBlocking(false); // reads look first, then wait (see input())
            ACCESS.keepNonBlocking(source);
            return Optional.of(new PipeChannels(source, sink));
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.debug("cannot use channels for the worker pipes; using the process streams", "pid", process.pid(),
                    "error", String.valueOf(e));
            return Optional.empty();
        }
    }

    /**
     * The worker's stdout as a stream, unbuffered (the caller buffers) and without locks of its own; one reader at a
     * time (the worker's exchange lock).
     *
     * <p>A read that finds nothing waits for the worker in one of two ways. If the worker's recent answers came
     * within {@link #SPIN_LIMIT_NANOS}, it looks again for up to about twice that typical wait, yielding its carrier
     * to any other virtual thread between looks; a fast worker (an echo answers in some 10 µs) is then caught
     * without a park on the poller and the wake-up that ends it, which on a quiet server cost more than the wait. A
     * worker that usually takes longer, or a server so busy that answers come late, gets no spinning: the read parks
     * on the poller at once, and no CPU is taken from the workers.
     */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (probed.hasRemaining()) {
                    int n = Math.min(len, probed.remaining());
                    probed.get(b, off, n);
                    return n;
                }
                return probedEof ? -1 : awaitRead(ByteBuffer.wrap(b, off, len));
            }

            /**
             * Bytes the worker wrote that wait unread, found with one non-blocking read (kept for the next reads):
             * how unsolicited worker output is noticed. At most {@link #PROBE_BYTES} are counted.
             */
            @Override
            public int available() throws IOException {
                if (!probed.hasRemaining() && !probedEof && fromWorker.isOpen()) {
                    probed.clear();
                    int n = fromWorker.read(probed);
                    probed.flip();
                    probedEof = n < 0;
                }
                return probed.remaining();
            }
        };
    }

    private int awaitRead(ByteBuffer buffer) throws IOException {
        // only a virtual thread spins (it yields its carrier to other connections between looks)
        boolean spin = Thread.currentThread().isVirtual() && spins(typicalWaitNanos);
        int n = fromWorker.read(buffer);
        if (n != 0) {
            return n; // an answer that was there already says nothing about how long this worker takes
        }
        long start = System.nanoTime();
        if (spin) {
            long deadline = start + 2 * typicalWaitNanos + 5_000;
            do {
                Thread.yield();
                n = fromWorker.read(buffer);
                if (n != 0) {
                    long waited = System.nanoTime() - start;
                    typicalWaitNanos = nextTypicalWait(typicalWaitNanos, waited);
                    // caught by looking again: a fast worker, whatever the carrier's other work made this wait
                    floorWaitNanos = Math.min(floorWaitNanos, nextFloorWait(floorWaitNanos, waited));
                    return n;
                }
            } while (System.nanoTime() - deadline < 0);
        }
        fromWorker.configureBlocking(true);
        try {
            n = fromWorker.read(buffer);
        } finally {
            fromWorker.configureBlocking(false);
        }
        learn(System.nanoTime() - start);
        return n;
    }

    private void learn(long waitedNanos) {
        typicalWaitNanos = nextTypicalWait(typicalWaitNanos, waitedNanos);
        floorWaitNanos = nextFloorWait(floorWaitNanos, waitedNanos);
    }

    /**
     * Whether this worker's answers take at least twice the spin limit (80 µs) even at their quickest: long enough
     * for a waiting request to be run in a chain ({@link PoolExecutor}). Judged by the floor of recent waits rather
     * than their average: a worker's own work puts a floor under every wait, while a busy machine only makes some
     * answers late. An echo worker on a loaded machine (many late answers, some quick ones) stays out of chains,
     * where a platform thread's wake-up per answer costs more than virtual threads batched on one carrier (measured:
     * half as much server CPU again per message).
     */
    boolean answersSlowly() {
        return slow(floorWaitNanos);
    }

    /** Whether a worker whose recent waits have this floor answers slowly (see {@link #answersSlowly()}). */
    static boolean slow(long floorWaitNanos) {
        return floorWaitNanos >= 2 * SPIN_LIMIT_NANOS;
    }

    /**
     * The floor after one more wait: halfway down to a quicker wait, up towards a slower one (counted as at most four
     * times the spin limit) by a sixteenth of the gap, so that it takes a run of slow answers to raise it and a few
     * quick ones to lower it. Only reads that found nothing and waited count.
     */
    static long nextFloorWait(long floorWaitNanos, long waitedNanos) {
        if (waitedNanos <= floorWaitNanos) {
            return floorWaitNanos - (floorWaitNanos - waitedNanos) / 2;
        }
        return floorWaitNanos + (Math.min(waitedNanos, 4 * SPIN_LIMIT_NANOS) - floorWaitNanos) / 16;
    }

    /** Whether a read that found nothing spins, given the typical wait. */
    static boolean spins(long typicalWaitNanos) {
        return typicalWaitNanos < SPIN_LIMIT_NANOS;
    }

    /**
     * The moving average after one more wait: a quarter of the way towards it. A single long wait counts as at most
     * four times the limit, so that a worker that was slow once is trusted again after a few fast answers.
     */
    static long nextTypicalWait(long typicalWaitNanos, long waitedNanos) {
        return typicalWaitNanos + (Math.min(waitedNanos, 4 * SPIN_LIMIT_NANOS) - typicalWaitNanos) / 4;
    }

    /** The worker's stdin as a stream; every write goes out whole before it returns. */
    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    toWorker.write(buffer);
                }
            }
        };
    }

    /** Closes both pipe ends (the worker sees EOF on its stdin). */
    @Override
    public void close() {
        closeQuietly(toWorker);
        closeQuietly(fromWorker);
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a pipe end that fails to close has nothing more to give back
        }
    }

    /** The reflective handles, found once; {@code problem} says why they could not be. */
    private record Access(Field in, Field out, Constructor<?> source, Constructor<?> sink, Field forcedNonBlocking,
                          String problem) {
        /**
         * Marks the source as its virtual-thread readers do ({@code forcedNonBlocking}), so that a platform thread's
         * blocking read waits with poll() on the non-blocking descriptor instead of switching the descriptor's mode
         * with two fcntl calls before and after every read. Skipped where the JDK has no such field.
         */
        void keepNonBlocking(Pipe.SourceChannel channel) {
            if (forcedNonBlocking != null) {
                try {
                    forcedNonBlocking.setBoolean(channel, true);
                } catch (IllegalAccessException | RuntimeException e) {
                    LOG.debug("cannot mark the worker pipe non-blocking for good", "error", String.valueOf(e));
                }
            }
        }

        static Access load() {
            if ("streams".equals(System.getProperty(PROPERTY))) {
                return new Access(null, null, null, null, null, PROPERTY + "=streams");
            }
            try {
                Field in = FilterInputStream.class.getDeclaredField("in");
                Field out = FilterOutputStream.class.getDeclaredField("out");
                in.setAccessible(true);
                out.setAccessible(true);
                Class<?> sourceImpl = Class.forName("sun.nio.ch.SourceChannelImpl");
                Class<?> sinkImpl = Class.forName("sun.nio.ch.SinkChannelImpl");
                Constructor<?> source = sourceImpl.getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
                Constructor<?> sink = sinkImpl.getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
                source.setAccessible(true);
                sink.setAccessible(true);
                Field forced = null;
                try {
                    forced = sourceImpl.getDeclaredField("forcedNonBlocking");
                    forced.setAccessible(true);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // another JDK: platform-thread reads switch the descriptor's mode each time, and still work
                }
                return new Access(in, out, source, sink, forced, null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Access(null, null, null, null, null, "JDK internals not open to rr-tcp (" + e.getMessage()
                        + "); run with --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED");
            }
        }
    }
}
