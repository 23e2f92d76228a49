using System.Security.Cryptography;
using System.Text;

namespace CaseExchange.Journal;

/// <summary>
/// Where journal entries live. One chain stream per situation, so that accesses to different situations never wait
/// for each other; its id is derived from the situation's (a name-based UUID), never the situation's own stream.
/// One checkpoint stream per council seals the chains' heads periodically, so that a removed chain or a truncated
/// tail is detected too. Stream ids are unique per council (conjoined tenancy), like <c>Council.StreamId</c>.
/// </summary>
public static class JournalChains
{
    /// <summary>The council's checkpoint chain.</summary>
    public static readonly Guid CheckpointStreamId = new("c0a5e000-0000-4000-8000-00000000c4e2");

    // RFC 9562 name-based (SHA-1, version 5) UUIDs in a namespace of our own.
    private static readonly Guid Namespace = new("5f0e8c1e-5a4b-4c2e-9a7d-6a6f75726e61");

    public static Guid ChainOf(Guid situationId) => NameBased($"journal:{situationId:D}");

    /// <summary>
    /// Refusals that name no situation (an erasure order for an unknown situation, a refused right-of-access request…)
    /// go to the council's own chain: the chain of the nil situation id, under this pseudonym. A chain like the others
    /// for sealing, verification and browsing.
    /// </summary>
    public static readonly Guid CouncilSituationId = Guid.Empty;

    public const string CouncilPseudonym = "CONSEIL";

    public static Guid CouncilChainId => ChainOf(CouncilSituationId);

    private static Guid NameBased(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
