package io.rrtcp.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A loopback test client with a read timeout, so no test can hang on a silent server. */
final class Client implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Client(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    /** The client side of the connection, as the server reports it in remote_addr. */
    String localAddress() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    Client send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    Client send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Exactly {@code n} bytes; fails at EOF. */
    byte[] readBytes(int n) throws IOException {
        byte[] got = in.readNBytes(n);
        if (got.length != n) {
            throw new IOException("EOF after " + got.length + " of " + n + " bytes");
        }
        return got;
    }

    /** Reads until {@code delimiter} has arrived and returns everything read, delimiter included. */
    String readUntil(String delimiter) throws IOException {
        byte[] d = delimiter.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int matched = 0; // how many leading delimiter bytes the input read so far ends with
        while (matched < d.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF after " + got.toString(StandardCharsets.UTF_8) + " while waiting for "
                        + delimiter.replace("\r", "\\r").replace("\n", "\\n"));
            }
            got.write(b);
            if (b == (d[matched] & 0xFF)) {
                matched++;
            } else {
                byte[] tail = new byte[matched + 1]; // the delimiter bytes matched so far plus this byte
                System.arraycopy(d, 0, tail, 0, matched);
                tail[matched] = (byte) b;
                matched = longestSuffixPrefix(tail, d);
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** Length of the longest tail of {@code data} (at most the delimiter's length) that starts the delimiter. */
    private static int longestSuffixPrefix(byte[] data, byte[] d) {
        for (int k = Math.min(d.length, data.length); k > 0; k--) {
            if (java.util.Arrays.equals(data, data.length - k, data.length, d, 0, k)) {
                return k;
            }
        }
        return 0;
    }

    String readLine() throws IOException {
        return readUntil("\n");
    }

    /** Sends a line and returns the answer line. */
    String ask(String line) throws IOException {
        send(line);
        return readLine();
    }

    /** Everything until the server closes the connection; fails if it does not close within the read timeout. */
    String readToEof() throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    void setReadTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
