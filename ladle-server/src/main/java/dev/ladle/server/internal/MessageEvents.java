package dev.ladle.server.internal;

import dev.ladle.server.Subscription;
import dev.ladle.tls.TlsCertificateFlag;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The listeners of one message's events. Created only when somebody subscribes, so a plain request
 * pays nothing for events. Listener lists are copy-on-write: subscribing from another thread is safe.
 */
final class MessageEvents {
    final List<Runnable> gotHeaders = new CopyOnWriteArrayList<>();
    final List<Consumer<ByteBuffer>> gotChunk = new CopyOnWriteArrayList<>();
    final List<Runnable> gotBody = new CopyOnWriteArrayList<>();
    final List<Runnable> wroteInformational = new CopyOnWriteArrayList<>();
    final List<Runnable> wroteHeaders = new CopyOnWriteArrayList<>();
    final List<Runnable> wroteChunk = new CopyOnWriteArrayList<>();
    final List<IntConsumer> wroteBodyData = new CopyOnWriteArrayList<>();
    final List<Runnable> wroteBody = new CopyOnWriteArrayList<>();
    final List<Runnable> finished = new CopyOnWriteArrayList<>();
    final List<Runnable> disconnected = new CopyOnWriteArrayList<>();
    final List<BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>>> acceptCertificate =
            new CopyOnWriteArrayList<>();

    static <T> Subscription add(List<T> list, T listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        list.add(listener);
        return () -> list.remove(listener);
    }

    static void run(List<Runnable> listeners) {
        for (Runnable r : listeners) {
            r.run();
        }
    }

    void chunk(ByteBuffer data) {
        for (Consumer<ByteBuffer> c : gotChunk) {
            c.accept(data.asReadOnlyBuffer());
        }
    }

    void bodyData(int bytes) {
        for (IntConsumer c : wroteBodyData) {
            c.accept(bytes);
        }
    }

    boolean acceptCertificate(List<X509Certificate> chain, Set<TlsCertificateFlag> errors) {
        for (BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> p : acceptCertificate) {
            if (p.test(chain, errors)) {
                return true;
            }
        }
        return false;
    }
}
