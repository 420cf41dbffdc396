package dev.ladle.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The streamed-upload scale row: sends one {@code POST /upload} of N bytes (Content-Length, from a
 * reused buffer, so the client holds no more than that buffer) and reports the throughput and what the
 * server says it received.
 *
 * <pre>
 * java ... dev.ladle.bench.load.StreamUpload PORT [BYTES]
 * </pre>
 */
public final class StreamUpload {
    private StreamUpload() {
    }

    /** Runs the row; see the class comment. Prints {@code key=value} lines for run.sh. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long total = args.length > 1 ? Long.parseLong(args[1]) : 2L << 30;
        byte[] chunk = new byte[256 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ('a' + i % 26);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            long t0 = System.nanoTime();
            out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long sent = 0;
            while (sent < total) {
                int n = (int) Math.min(chunk.length, total - sent);
                out.write(chunk, 0, n);
                sent += n;
            }
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String status = answer.length() >= 12 ? answer.substring(9, 12) : "?";
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4).trim();
            System.out.println("status=" + status);
            System.out.println("received=" + body);
            System.out.println("sent=" + sent);
            System.out.printf("seconds=%.3f%n", seconds);
            System.out.printf("mib_per_s=%.1f%n", sent / seconds / (1 << 20));
        } catch (IOException e) {
            System.out.println("failed: " + e);
            System.exit(1);
        }
    }

    /** Reads the answer's head and its (short) Content-Length body. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int contentLength = -1;
        int headEnd = -1;
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            answer.write(buf, 0, n);
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && text.length() - headEnd - 4 >= contentLength) {
                break;
            }
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }
}
