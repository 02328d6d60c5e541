package io.rrtcp.rpc;

import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.log.Log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/** One RPC client connection's write side: whole reply frames, one at a time; gone after the first failed write. */
final class RpcConnection {
    private static final Log LOG = Log.get("rpc");

    private final SocketChannel client;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean gone;

    RpcConnection(SocketChannel client) {
        this.client = client;
    }

    /** Whether a reply could not be written: the client left, and its queued calls are not worth running. */
    boolean gone() {
        return gone;
    }

    void reply(Frame reply) {
        ByteBuffer bytes = ByteBuffer.wrap(FrameCodec.encode(reply));
        writeLock.lock();
        try {
            while (bytes.hasRemaining() && !gone) {
                client.write(bytes);
            }
        } catch (IOException e) {
            if (!gone) {
                gone = true;
                LOG.debug("rpc: cannot write a reply; the client is gone, its queued calls are dropped",
                        "error", e.getMessage());
                close();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closed is what we want
        }
    }
}
