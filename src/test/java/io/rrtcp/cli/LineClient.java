package io.rrtcp.cli;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A loopback client that speaks lines, from a chosen 127.x source address, with a read timeout. */
final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final long openedAt = System.nanoTime();

    LineClient(String sourceIp, int port) throws IOException {
        socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(sourceIp, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Sends one line and returns the answer line (without its newline); EOF is an error. */
    String ask(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String reply = in.readLine();
        if (reply == null) {
            throw new EOFException("connection closed while waiting for the answer to \"" + line + "\"");
        }
        return reply;
    }

    /** As events name this client: {@code 127.0.0.2:40000}. */
    String address() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** System.nanoTime() when the connection was opened. */
    long openedAt() {
        return openedAt;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
