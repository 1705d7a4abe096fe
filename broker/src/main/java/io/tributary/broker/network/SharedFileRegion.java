package io.tributary.broker.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A zero-copy file region over a log segment's channel that, unlike Netty's DefaultFileRegion,
 * does not close the channel when released: the segment owns it and other fetches share it.
 * Written by the connection's event loop; the NIO transport sends it with FileChannel.transferTo
 * (sendfile), so record bytes go from the page cache to the socket without entering the heap.
 */
final class SharedFileRegion extends AbstractReferenceCounted implements FileRegion {
    private final FileChannel file;
    private final long position;
    private final long count;
    private long transferred;

    SharedFileRegion(FileChannel file, long position, long count) {
        this.file = file;
        this.position = position;
        this.count = count;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferTo(WritableByteChannel target, long pos) throws IOException {
        long remaining = count - pos;
        if (remaining <= 0) {
            return 0;
        }
        long written = file.transferTo(position + pos, remaining, target);
        if (written > 0) {
            transferred += written;
        } else if (written == 0 && position + pos >= file.size()) {
            // The segment shrank under us (deleted or truncated): fail rather than spin.
            throw new IOException("log segment ended at " + file.size() + " before " + (position + count));
        }
        return written;
    }

    @Override
    protected void deallocate() {
        // The channel belongs to the log segment; nothing to free here.
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }
}
