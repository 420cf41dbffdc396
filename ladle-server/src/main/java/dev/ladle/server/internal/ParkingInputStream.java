package dev.ladle.server.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's input handed to a protocol that reads on its own (a WebSocket), carrying the
 * connection's {@link IdleParking}: the reader finds it there and parks through it between messages.
 */
final class ParkingInputStream extends FilterInputStream implements IdleParking {
    private final IdleParking parking;

    ParkingInputStream(InputStream in, IdleParking parking) {
        super(in);
        this.parking = parking;
    }

    @Override
    public boolean parkIfIdle(Read read, java.util.function.BooleanSupplier mayPark, Resume resume) throws IOException {
        return parking.parkIfIdle(read, mayPark, resume);
    }
}
