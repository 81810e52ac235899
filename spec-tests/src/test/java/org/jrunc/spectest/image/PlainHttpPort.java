package org.jrunc.spectest.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The public port of a {@link RegistryFront}: a client allowed plain HTTP tries TLS first (skopeo, podman) and falls
 * back on an error, which docker-registry gives at once (a 400 to the ClientHello) while the JDK's HttpServer waits for a
 * request line that never ends. Here a connection whose first byte opens a TLS handshake is closed at once; any other
 * is spliced, byte for byte, to the HttpServer behind.
 */
final class PlainHttpPort implements AutoCloseable {
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    PlainHttpPort(InetSocketAddress target, ExecutorService threads) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.target = target;
        this.threads = threads;
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first < 0 || first == TLS_HANDSHAKE_RECORD) {
                return;
            }
            try (Socket server = new Socket(target.getAddress(), target.getPort())) {
                open.add(server);
                server.getOutputStream().write(first);
                threads.execute(() -> pump(in, server));
                pump(server.getInputStream(), client);
            } finally {
                open.removeIf(Socket::isClosed);
            }
        } catch (IOException e) {
            // either side went away: both sockets are closed on the way out
        } finally {
            open.remove(client);
        }
    }

    /** Copies until {@code from} ends, then ends the output of {@code to} (or closes it if it is gone). */
    private static void pump(InputStream from, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            from.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Stops accepting and cuts every open connection (a throttled download among them). */
    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
