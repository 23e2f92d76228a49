using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CaseExchange.Journal.Checkpoints;

namespace CaseExchange.Journal;

/// <summary>A SHA-256 value as four machine words: compared and stored without allocating.</summary>
public readonly struct JournalHash : IEquatable<JournalHash>
{
    public const int Size = 32;
    private readonly ulong _a, _b, _c, _d;

    private JournalHash(ulong a, ulong b, ulong c, ulong d) => (_a, _b, _c, _d) = (a, b, c, d);

    /// <summary>The "previous hash" of the first entry of every chain.</summary>
    public static readonly JournalHash Genesis = default;

    public static JournalHash FromBytes(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>Parses 64 hexadecimal characters; anything else (a tampered value) is not a hash.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out JournalHash hash)
    {
        hash = default;
        if (hex.Length != Size * 2) return false;
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size) return false;
        hash = FromBytes(bytes);
        return true;
    }

    public static JournalHash Parse(string hex) =>
        TryParse(hex, out var hash) ? hash : throw new FormatException("A journal hash is 64 hexadecimal characters.");

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public bool Equals(JournalHash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;
    public override bool Equals(object? obj) => obj is JournalHash other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);
    public static bool operator ==(JournalHash left, JournalHash right) => left.Equals(right);
    public static bool operator !=(JournalHash left, JournalHash right) => !left.Equals(right);
}

/// <summary>
/// The canonical, versioned byte form that journal hashes cover. Not the stored JSON: PostgreSQL's jsonb reorders
/// keys and normalises text, so the bytes are rebuilt from the fields: a format tag, then each field in a fixed
/// order, strings as length-prefixed UTF-8 (-1 for null), integers and instants (UTC ticks) big-endian, ids in
/// RFC 9562 byte order. The council is covered too, so an entry copied into another council's journal does not verify.
/// Changing anything here breaks every existing journal: add a new format instead.
/// </summary>
public static class JournalHashing
{
    public const int EntryFormat = 1;
    public const int CheckpointFormat = 2;

    /// <summary>Checkpoints sealed before they carried a keyed MAC; verified as legacy only (see the verifier).</summary>
    public const int UnkeyedCheckpointFormat = 1;
    private const string EntryTag = "caseexchange/journal-entry/v1";
    private const string UnkeyedCheckpointTag = "caseexchange/journal-checkpoint/v1";
    private const string CheckpointTag = "caseexchange/journal-checkpoint/v2";
    private const string MacTag = "caseexchange/journal-checkpoint-mac/v1";

    [ThreadStatic] private static CanonicalWriter? _writer;

    public static JournalHash OfEntry(string council, AccessJournalled entry, JournalHash previous)
    {
        if (entry.Format != EntryFormat) throw new NotSupportedException($"Unknown journal entry format {entry.Format}.");
        var w = Writer();
        w.String(EntryTag);
        w.String(council);
        w.Guid(entry.EntryId);
        w.Int64(entry.Sequence);
        w.Int64(entry.At.UtcTicks);
        w.Guid(entry.MemberId);
        w.String(entry.Subject);
        w.String(entry.Action);
        w.Guid(entry.SituationId);
        w.String(entry.Pseudonym);
        w.String(entry.Purpose);
        w.String(entry.ArchiveReasonCode);
        w.String(entry.ArchiveReasonDetail?.Value);
        w.Bool(entry.Granted);
        w.String(entry.Refusal);
        w.Hash(previous);
        return w.Sha256();
    }

    public static JournalHash OfCheckpoint(string council, JournalCheckpointSealed checkpoint, JournalHash previous)
    {
        if (checkpoint.Format is not (CheckpointFormat or UnkeyedCheckpointFormat))
            throw new NotSupportedException($"Unknown journal checkpoint format {checkpoint.Format}.");
        var w = Writer();
        w.String(checkpoint.Format == CheckpointFormat ? CheckpointTag : UnkeyedCheckpointTag);
        w.String(council);
        if (checkpoint.Format == CheckpointFormat) w.String(checkpoint.KeyId);
        w.Guid(checkpoint.CheckpointId);
        w.Int64(checkpoint.Sequence);
        w.Int64(checkpoint.At.UtcTicks);
        w.Int64(checkpoint.Heads.Count);
        foreach (var head in checkpoint.Heads)
        {
            w.Guid(head.ChainId);
            w.Guid(head.SituationId);
            w.String(head.Pseudonym);
            w.Int64(head.Sequence);
            w.String(head.Hash);
        }
        w.Hash(previous);
        return w.Sha256();
    }

    /// <summary>
    /// The keyed MAC of a checkpoint: HMAC-SHA-256, with a key that is not in the database, over the council and the
    /// checkpoint's hash (which covers its sequence, its heads and the previous checkpoint's hash).
    /// </summary>
    public static string MacOfCheckpoint(ReadOnlySpan<byte> key, string council, JournalHash checkpointHash)
    {
        var w = Writer();
        w.String(MacTag);
        w.String(council);
        w.Hash(checkpointHash);
        return w.HmacSha256(key).ToString();
    }

    private static CanonicalWriter Writer()
    {
        var writer = _writer ??= new CanonicalWriter();
        writer.Reset();
        return writer;
    }

    private sealed class CanonicalWriter
    {
        private byte[] _buffer = new byte[1024];
        private int _length;

        public void Reset() => _length = 0;

        public void String(string? value)
        {
            if (value is null)
            {
                Int32(-1);
                return;
            }
            var count = Encoding.UTF8.GetByteCount(value);
            Int32(count);
            Encoding.UTF8.GetBytes(value, Room(count));
            _length += count;
        }

        public void Guid(Guid value)
        {
            value.TryWriteBytes(Room(16), bigEndian: true, out _);
            _length += 16;
        }

        public void Guid(Guid? value)
        {
            Bool(value.HasValue);
            if (value is { } v) Guid(v);
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(Room(8), value);
            _length += 8;
        }

        public void Bool(bool value)
        {
            Room(1)[0] = value ? (byte)1 : (byte)0;
            _length += 1;
        }

        public void Hash(JournalHash value)
        {
            value.WriteTo(Room(JournalHash.Size));
            _length += JournalHash.Size;
        }

        public JournalHash Sha256()
        {
            Span<byte> digest = stackalloc byte[JournalHash.Size];
            SHA256.HashData(_buffer.AsSpan(0, _length), digest);
            return JournalHash.FromBytes(digest);
        }

        public JournalHash HmacSha256(ReadOnlySpan<byte> key)
        {
            Span<byte> digest = stackalloc byte[JournalHash.Size];
            HMACSHA256.HashData(key, _buffer.AsSpan(0, _length), digest);
            return JournalHash.FromBytes(digest);
        }

        private void Int32(int value)
        {
            BinaryPrimitives.WriteInt32BigEndian(Room(4), value);
            _length += 4;
        }

        private Span<byte> Room(int count)
        {
            if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
            return _buffer.AsSpan(_length, count);
        }
    }
}
