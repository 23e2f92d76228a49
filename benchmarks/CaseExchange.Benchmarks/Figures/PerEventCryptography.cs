using BenchmarkDotNet.Attributes;
using CaseExchange.Benchmarks.Service;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Referral;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Benchmarks.Figures;

/// <summary>
/// The cryptography one event costs, with the service's own objects (its Data Protection key ring, its key cache):
/// the situation key from the cache, AES-256-GCM sealing and opening of a typical identity and facts, and the SHA-256
/// of a journal entry. <see cref="PerEvent"/> is the figure: what one event costs on its way in (key from the cache, its
/// identity and facts sealed, a journal entry hashed); <see cref="PerEventBothWays"/> adds opening them again.
/// Run in-process by BenchmarkDotNet (the service is already running in this process).
/// </summary>
[MemoryDiagnoser]
public class PerEventCryptography
{
    /// <summary>Set by the run before BenchmarkDotNet starts: the running service's objects.</summary>
    internal static IServiceProvider? Services;

    private const string Council = "crypto";
    private SituationKeys _keys = null!;
    private IDocumentSession _session = null!;
    private Guid _situationId;
    private SituationCipher _cipher = null!;
    private PersonIdentity _identity = null!;
    private SealedText _sealedIdentity = null!;
    private SealedText _sealedFacts = null!;
    private JournalRequest _request = null!;
    private JournalChainHead _head = null!;
    private IDataProtector _protector = null!;
    private byte[] _wrappedKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = Services ?? throw new InvalidOperationException("The run sets the service before BenchmarkDotNet starts.");
        _keys = services.GetRequiredService<SituationKeys>();
        // Never saved: CreateFor only queues the wrapped key document, and puts the key in the cache as a referral does.
        _session = services.GetRequiredService<IDocumentStore>().LightweightSession(Council);
        _situationId = Guid.CreateVersion7();
        _keys.CreateFor(_session, _situationId, DateTimeOffset.UtcNow);
        _cipher = _keys.UnwrapAsync(_session, _situationId).GetAwaiter().GetResult();
        _identity = Referrals.Identity("crypto");
        _sealedIdentity = _cipher.SealJson(SealedFields.PersonIdentity, _identity);
        _sealedFacts = _cipher.Seal(SealedFields.Facts, Referrals.Facts);
        _request = new JournalRequest(JournalActions.FileOpening, _situationId, "S-2026-0042", Guid.CreateVersion7(), "crypto.membre-01",
            "preparation-seance", null, null, true, null);
        var first = AccessJournal.Entry(Council, _request, null, DateTimeOffset.UtcNow);
        _head = new JournalChainHead { Id = JournalChains.ChainOf(_situationId), LastSequence = first.Sequence, LastHash = first.Hash };
        _protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CaseExchange.Benchmarks.Unwrap", Council);
        _wrappedKey = _protector.Protect(new byte[32]);
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Description = "Situation key from the cache")]
    public SituationCipher KeyFromCache() => _keys.UnwrapAsync(_session, _situationId).GetAwaiter().GetResult();

    [Benchmark(Description = "Seal identity (JSON + AES-GCM)")]
    public SealedText SealIdentity() => _cipher.SealJson(SealedFields.PersonIdentity, _identity);

    [Benchmark(Description = "Seal facts (AES-GCM)")]
    public SealedText SealFacts() => _cipher.Seal(SealedFields.Facts, Referrals.Facts);

    [Benchmark(Description = "Open identity")]
    public PersonIdentity OpenIdentity() => _cipher.OpenJson<PersonIdentity>(SealedFields.PersonIdentity, _sealedIdentity);

    [Benchmark(Description = "Open facts")]
    public string OpenFacts() => _cipher.Open(SealedFields.Facts, _sealedFacts);

    [Benchmark(Description = "Journal entry (canonical form + SHA-256)")]
    public AccessJournalled JournalHash() => AccessJournal.Entry(Council, _request, _head, DateTimeOffset.UtcNow);

    [Benchmark(Description = "Per event: key + seal identity and facts + journal hash")]
    public object PerEvent()
    {
        var cipher = _keys.UnwrapAsync(_session, _situationId).GetAwaiter().GetResult();
        cipher.SealJson(SealedFields.PersonIdentity, _identity);
        cipher.Seal(SealedFields.Facts, Referrals.Facts);
        return AccessJournal.Entry(Council, _request, _head, DateTimeOffset.UtcNow);
    }

    [Benchmark(Description = "Per event, both ways: key + seal + open + journal hash")]
    public object PerEventBothWays()
    {
        var cipher = _keys.UnwrapAsync(_session, _situationId).GetAwaiter().GetResult();
        var identity = cipher.SealJson(SealedFields.PersonIdentity, _identity);
        var facts = cipher.Seal(SealedFields.Facts, Referrals.Facts);
        cipher.OpenJson<PersonIdentity>(SealedFields.PersonIdentity, identity);
        cipher.Open(SealedFields.Facts, facts);
        return AccessJournal.Entry(Council, _request, _head, DateTimeOffset.UtcNow);
    }

    [Benchmark(Description = "Key unwrap on a cache miss (Data Protection, no read)")]
    public byte[] KeyUnwrap() => _protector.Unprotect(_wrappedKey);
}
