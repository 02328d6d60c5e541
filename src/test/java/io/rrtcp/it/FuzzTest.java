package io.rrtcp.it;

import com.eclipsesource.json.Json;
import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.rpc.RpcClient;
import io.rrtcp.worker.WorkerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded, bounded fuzzing of the three ways in (issue 10): a worker that answers with random and mutated goridge
 * frames, clients that send random bytes, RPC peers that send random and mutated frames. Whatever comes in: no
 * uncaught exception, nothing reaches another connection, the pool returns to its size, the heap stays bounded.
 * Run with -Drrtcp.fuzz.seed=N to repeat a run; the seed is printed.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FuzzTest extends ServerTest {
    private static final long SEED = Long.getLong("rrtcp.fuzz.seed", System.nanoTime());
    private static final long HEAP_GROWTH_LIMIT = 64L << 20;
    private static final Pattern TOKEN = Pattern.compile("tok\\d{6}x");
    private static final int WORKER_CASES = 80;
    private static final int CLIENTS = 12;
    private static final int MESSAGES_PER_CLIENT = 25;
    private static final int RPC_CASES = 300;

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private Thread.UncaughtExceptionHandler previousHandler;
    private LogCapture log;
    private Random random;
    private long heapBefore;

    @BeforeEach
    void watch(TestInfo test) {
        long seed = SEED ^ test.getDisplayName().hashCode();
        System.err.println("FuzzTest " + test.getDisplayName() + ": -Drrtcp.fuzz.seed=" + SEED + " (this test: " + seed + ")");
        random = new Random(seed);
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        log = new LogCapture();
        heapBefore = heapAfterGc();
    }

    @AfterEach
    void check() {
        try {
            assertEquals(List.of(), uncaught, "no uncaught exception (seed " + SEED + ")");
            List<String> bad = log.lines().stream().filter(l -> l.contains("Exception in thread") || l.startsWith("\tat ")
                    || l.contains("internal error") || l.contains("unexpectedly") || l.contains("java.lang.")).toList();
            assertEquals(List.of(), bad, "no exception in the log (seed " + SEED + ")");
            long growth = heapAfterGc() - heapBefore;
            assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + (growth >> 20) + " MB (seed " + SEED + ")");
        } finally {
            log.close();
            Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private String newToken() {
        return String.format("tok%06dx", tokens.incrementAndGet());
    }

    private void awaitPoolOf(int n) throws Exception {
        Await.until(() -> server.server().pool().workers(), ws -> ws.size() == n
                && ws.stream().allMatch(w -> w.state() == WorkerState.READY), Duration.ofSeconds(30),
                "the pool back at " + n + " ready workers (seed " + SEED + ")");
    }

    // ---- a worker that answers with random and mutated frames ----

    /** A reply frame carrying the token, then one to three random mutations (seeded). */
    private byte[] mutatedReply(String token) {
        byte[] frame = FrameCodec.encode(0, 0, new int[]{5}, "WRITE".getBytes(StandardCharsets.US_ASCII),
                (token + "\n").getBytes(StandardCharsets.US_ASCII));
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            frame = mutate(frame);
        }
        return frame;
    }

    private byte[] mutate(byte[] frame) {
        byte[] f = frame.clone();
        if (f.length == 0) {
            return new byte[]{(byte) random.nextInt(256)};
        }
        switch (random.nextInt(9)) {
            case 0 -> f[random.nextInt(f.length)] ^= (byte) (1 + random.nextInt(255)); // a flipped byte
            case 1 -> f = Arrays.copyOf(f, random.nextInt(f.length)); // truncated
            case 2 -> { // random bytes appended
                byte[] tail = new byte[1 + random.nextInt(40)];
                random.nextBytes(tail);
                f = concat(f, tail);
            }
            case 3 -> f = withByte(f, 10, new int[]{Frame.STREAM, Frame.PING, Frame.STREAM | Frame.PING, 0x02,
                    random.nextInt(256)}[random.nextInt(5)]); // stream flags (not under the CRC)
            case 4 -> f = withHeaderByte(f, 1, random.nextInt(256)); // flags: ERROR, CONTROL, codecs
            case 5 -> { // another payload length
                if (f.length >= 6) {
                    int length = random.nextBoolean() ? random.nextInt(64) : random.nextInt(1 << 20);
                    for (int k = 0; k < 4; k++) {
                        f = withHeaderByte(f, 2 + k, (length >>> (8 * k)) & 0xFF);
                    }
                }
            }
            case 6 -> f = withHeaderByte(f, 0, 0x10 | random.nextInt(16)); // another header length (options)
            case 7 -> { // another body offset
                if (f.length >= 16) {
                    f[12 + random.nextInt(4)] = (byte) random.nextInt(256);
                }
            }
            default -> f = concat(f, frame); // the same reply twice
        }
        return f;
    }

    private static byte[] withByte(byte[] f, int at, int value) {
        if (f.length > at) {
            f[at] = (byte) value;
        }
        return f;
    }

    /** Sets a byte covered by the header CRC and, in most cases, fixes the CRC so that the frame gets further. */
    private byte[] withHeaderByte(byte[] f, int at, int value) {
        withByte(f, at, value);
        if (f.length >= 10 && random.nextInt(4) != 0) {
            CRC32 crc = new CRC32();
            crc.update(f, 0, 6);
            long c = crc.getValue();
            for (int k = 0; k < 4; k++) {
                f[6 + k] = (byte) (c >>> (8 * k));
            }
        }
        return f;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Everything the connection receives until {@code marker} or EOF. */
    private static String readUntil(Socket s, String marker) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) >= 0; ) {
                got.write(b);
                if (got.size() >= marker.length() && got.toString(StandardCharsets.ISO_8859_1).endsWith(marker)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within the read timeout; got "
                    + got.toString(StandardCharsets.ISO_8859_1) + " (seed " + SEED + ")");
        } catch (IOException e) {
            // reset by the server: the same as EOF here
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return s;
    }

    private static void assertOnlyOwnTokens(String token, String received, String what) {
        Matcher m = TOKEN.matcher(received);
        while (m.find()) {
            assertEquals(token, m.group(), what + " got another connection's data: " + received + " (seed " + SEED + ")");
        }
    }

    @Test
    void aWorkerAnsweringWithMutatedFramesNeverSendsAnyoneAnotherConnectionsData() throws Exception {
        server = TestServer.in(dir).server("main", "\\n").workers(2).noEventLog()
                .pool("supervisor:\n      exec_ttl: 2s").start();
        int port = server.port("main");
        int cases = 0;
        int closed = 0;
        int bystanderCloses = 0;
        String[] bystanderTokens = {newToken(), newToken()};
        Socket[] bystanders = {open(port), open(port)};
        try {
            for (int i = 0; i < WORKER_CASES; i++) {
                String token = newToken();
                byte[] reply = mutatedReply(token);
                String command = random.nextBoolean() ? "raw " + HexFormat.of().formatHex(reply)
                        : "rawthen " + token + " " + HexFormat.of().formatHex(reply);
                try (Socket s = open(port)) {
                    OutputStream out = s.getOutputStream();
                    out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(("after " + token + "\n").getBytes(StandardCharsets.US_ASCII));
                    String received = readUntil(s, "after " + token + "\n");
                    assertOnlyOwnTokens(token, received, "fuzz case " + i);
                    closed += received.endsWith("after " + token + "\n") ? 0 : 1;
                }
                cases++;
                for (int b = 0; b < bystanders.length; b++) {
                    String line = "by " + bystanderTokens[b] + " " + i + "\n";
                    bystanders[b].getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
                    String got = readUntil(bystanders[b], line);
                    assertOnlyOwnTokens(bystanderTokens[b], got, "bystander " + b);
                    if (!got.equals(line)) { // its request met a worker as it died: closed, never misled
                        assertTrue(line.startsWith(got), "bystander " + b + " got " + got + " (seed " + SEED + ")");
                        bystanderCloses++;
                        bystanders[b].close();
                        bystanderTokens[b] = newToken();
                        bystanders[b] = open(port);
                    }
                }
            }
        } finally {
            for (Socket b : bystanders) {
                b.close();
            }
        }
        System.err.printf("FuzzTest workers: %d mutated replies, %d fuzz connections closed, %d bystander requests"
                + " failed by a dying worker%n", cases, closed, bystanderCloses);
        awaitPoolOf(2);
        try (Socket s = open(port)) {
            assertEquals("fine\n", echo(s, "fine\n"));
        }
    }

    private static String echo(Socket s, String line) throws IOException {
        s.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        return readUntil(s, line);
    }

    // ---- clients that send random bytes ----

    @Test
    void clientsSendingRandomBytesEachGetExactlyTheirOwnEcho() throws Exception {
        server = TestServer.in(dir).server("main", "\\n").workers(2).noEventLog().start();
        int port = server.port("main");
        List<byte[]> streams = new ArrayList<>();
        List<int[]> cuts = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int m = 0; m < MESSAGES_PER_CLIENT; m++) {
                byte[] body = new byte[random.nextInt(random.nextInt(8) == 0 ? 20_000 : 200)];
                random.nextBytes(body);
                for (int k = 0; k < body.length; k++) {
                    if (body[k] == '\n') {
                        body[k] = ' ';
                    }
                }
                stream.writeBytes(("r:" + newToken() + ":").getBytes(StandardCharsets.US_ASCII)); // never a command
                stream.writeBytes(body);
                stream.write('\n');
            }
            streams.add(stream.toByteArray());
            int[] cut = new int[1 + random.nextInt(30)];
            for (int k = 0; k < cut.length; k++) {
                cut[k] = 1 + random.nextInt(4096);
            }
            cuts.add(cut);
        }
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> echoes = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                byte[] stream = streams.get(c);
                int[] cut = cuts.get(c);
                echoes.add(clients.submit(() -> {
                    try (Socket s = open(port)) {
                        Thread writer = Thread.ofVirtual().start(() -> writeInPieces(s, stream, cut));
                        byte[] echo = s.getInputStream().readNBytes(stream.length);
                        writer.join();
                        return echo;
                    }
                }));
            }
            for (int c = 0; c < CLIENTS; c++) {
                assertTrue(Arrays.equals(streams.get(c), echoes.get(c).get()),
                        "client " + c + " got exactly its own bytes back (seed " + SEED + ")");
            }
        }
        awaitPoolOf(2);
    }

    private static void writeInPieces(Socket s, byte[] stream, int[] cut) {
        try {
            OutputStream out = s.getOutputStream();
            int at = 0;
            for (int k = 0; at < stream.length; k++) {
                int n = Math.min(cut[k % cut.length], stream.length - at);
                out.write(stream, at, n);
                out.flush();
                at += n;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- RPC peers that send random and mutated frames ----

    private byte[] rpcFrame() {
        String[] harmless = {"informer.Workers", "informer.List", "tcp.List", "rpc.Version", "resetter.List", "nope.Nope"};
        String method = harmless[random.nextInt(harmless.length)];
        byte[] name = method.getBytes(StandardCharsets.US_ASCII);
        byte[] body = switch (random.nextInt(4)) {
            case 0 -> "\"tcp\"".getBytes(StandardCharsets.US_ASCII);
            case 1 -> "true".getBytes(StandardCharsets.US_ASCII);
            case 2 -> "{\"server\":7,\"except\":[1]}".getBytes(StandardCharsets.US_ASCII);
            default -> {
                byte[] junk = new byte[random.nextInt(50)];
                random.nextBytes(junk);
                yield junk;
            }
        };
        int flags = new int[]{Frame.CODEC_JSON, Frame.CODEC_RAW, 0x10, 0x20, random.nextInt(256)}[random.nextInt(5)];
        byte[] frame = FrameCodec.encode(flags, 0, new int[]{random.nextInt(), name.length}, name, body);
        int kind = random.nextInt(4);
        if (kind == 0) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            return junk;
        }
        int mutations = kind == 1 ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            frame = mutate(frame);
        }
        return frame;
    }

    @Test
    void rpcPeersSendingRandomFramesGetAnswersOrAreClosedAndRpcServesOn() throws Exception {
        server = TestServer.in(dir).workers(2).noEventLog().rpc("tcp://127.0.0.1:0").start();
        int port = Integer.parseInt(server.rpc().replaceAll(".*:", ""));
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < RPC_CASES; i++) {
            int count = 1 + random.nextInt(3); // sometimes pipelined
            byte[] all = new byte[0];
            for (int k = 0; k < count; k++) {
                all = concat(all, rpcFrame());
            }
            frames.add(all);
        }
        try (ExecutorService peers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (byte[] bytes : frames) {
                done.add(peers.submit(() -> {
                    try (Socket s = open(port)) {
                        s.getOutputStream().write(bytes);
                        s.shutdownOutput();
                        s.getInputStream().readAllBytes(); // until the server closes: it must, after our EOF
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        long start = System.nanoTime();
        try (RpcClient rpc = RpcClient.connect(server.rpc())) {
            assertEquals(2, rpc.call("informer.Workers", Json.value("tcp")).asObject().get("workers").asArray().size());
        }
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000, "RPC answers at once after the fuzzing");
        Await.until(() -> server.server().rpcCallsInFlight(), n -> n == 0, Duration.ofSeconds(10),
                "no call left in flight (seed " + SEED + ")");
        awaitPoolOf(2);
    }
}
