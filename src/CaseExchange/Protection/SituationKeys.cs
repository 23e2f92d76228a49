using System.Security.Cryptography;
using CaseExchange.Hosting;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace CaseExchange.Protection;

/// <summary>
/// A situation's data key, stored only wrapped by ASP.NET Core Data Protection. Deleting this document is
/// how a situation's nominative data is erased (crypto-shredding): its events stay, unreadable.
/// </summary>
public sealed class SituationKey
{
    public Guid Id { get; set; }
    public string WrappedKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Creates, unwraps (with a short-lived cache) and destroys situation keys.</summary>
public sealed class SituationKeys(IDataProtectionProvider dataProtection, IMemoryCache cache)
{
    // Unwrapped keys stay in memory briefly so that a busy séance does not unwrap on every read.
    // Erasure evicts locally; every read path also checks the situation's erased flag first.
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    private IDataProtector ProtectorFor(string council) =>
        // The council is part of the purpose: a key wrapped for one council never unwraps for another.
        dataProtection.CreateProtector("CaseExchange.SituationKeys.v1", council);

    /// <summary>Generates the key of a new situation and stores it, wrapped, in the same transaction as its first event.</summary>
    public SituationCipher CreateFor(IDocumentSession session, Guid situationId, DateTimeOffset now)
    {
        var council = session.TenantId;
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = ProtectorFor(council).Protect(key);
        session.Store(new SituationKey { Id = situationId, WrappedKey = Convert.ToBase64String(wrapped), CreatedAt = now });
        cache.Set(CacheKey(council, situationId), key, CacheLifetime);
        return new SituationCipher(key, council, situationId);
    }

    /// <summary>The cipher of an existing situation; a 503 problem when its key cannot be unwrapped, 410 when erased.</summary>
    public async Task<SituationCipher> OpenAsync(IQuerySession session, Guid situationId, CancellationToken cancellation = default)
    {
        var council = session.TenantId;
        if (cache.TryGetValue<byte[]>(CacheKey(council, situationId), out var cached) && cached is not null)
            return new SituationCipher(cached, council, situationId);

        var stored = await session.LoadAsync<SituationKey>(situationId, cancellation)
                     ?? throw new ProblemException(KeyErased());
        byte[] key;
        try
        {
            key = ProtectorFor(council).Unprotect(Convert.FromBase64String(stored.WrappedKey));
        }
        catch (CryptographicException)
        {
            // Typically a database restored without the key ring's protection certificate.
            throw new ProblemException(KeyRingUnavailable());
        }
        cache.Set(CacheKey(council, situationId), key, CacheLifetime);
        return new SituationCipher(key, council, situationId);
    }

    /// <summary>Erasure: the wrapped key is deleted with the transaction that records the erasure.</summary>
    public void Destroy(IDocumentSession session, Guid situationId)
    {
        session.Delete<SituationKey>(situationId);
        cache.Remove(CacheKey(session.TenantId, situationId));
    }

    public void Forget(string council, Guid situationId) => cache.Remove(CacheKey(council, situationId));

    private static string CacheKey(string council, Guid situationId) => $"situation-key:{council}:{situationId:N}";

    public static ProblemDetails KeyErased() => new()
    {
        Status = StatusCodes.Status410Gone,
        Type = ProtectionProblemTypes.Erased,
        Title = "Données nominatives effacées",
        Detail = "Les données nominatives de cette situation ont été effacées conformément à la charte ; " +
                 "seule la vue anonymisée subsiste.",
    };

    public static ProblemDetails KeyRingUnavailable() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Type = ProtectionProblemTypes.KeyRingUnavailable,
        Title = "Clés de chiffrement indisponibles",
        Detail = "Le service ne peut pas déchiffrer ce dossier : le trousseau de clés n'est pas accessible avec le secret " +
                 "configuré. Prévenez l'administrateur ; aucune donnée n'a été communiquée.",
    };
}

public static class ProtectionProblemTypes
{
    public const string Erased = "urn:caseexchange:problem:nominative-data-erased";
    public const string KeyRingUnavailable = "urn:caseexchange:problem:key-ring-unavailable";
}
