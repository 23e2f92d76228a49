using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Http;

/// <summary>What created a resource: who, and a fingerprint of the request (never the request itself).</summary>
public sealed class CreationReceipt
{
    public string Id { get; set; } = "";
    public Guid ResourceId { get; set; }
    public Guid CreatedBy { get; set; }
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Creating commands are idempotent: the client names the new resource (a client-generated <c>id</c>) or the request
/// (an <c>Idempotency-Key</c> header). A retry after a lost answer (503 "issue inconnue", a dropped connection) returns
/// the resource the first attempt created; the same key with a different request is refused (422).
/// </summary>
public static class IdempotentCreation
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    /// <summary>The new resource's id: the client's, one derived from the client's key (per council and member), or a fresh one.</summary>
    public static Guid ResourceIdFor(string kind, string council, Guid actorId, Guid? clientId, string? idempotencyKey)
    {
        var errors = new ValidationErrors()
            .When(clientId == Guid.Empty, "id", "L'identifiant fourni par le client ne peut pas être nul.")
            .When(idempotencyKey is { } key && (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~')), HeaderName,
                $"La clé {HeaderName} doit compter de 1 à {MaxKeyLength} caractères ASCII visibles.");
        errors.ThrowIfAny();
        if (clientId is { } id) return id;
        if (idempotencyKey is null) return Guid.CreateVersion7();

        // Two members (or councils) using the same key never meet: the key is scoped by both.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"caseexchange/idempotency/v1\n{kind}\n{council}\n{actorId:N}\n{idempotencyKey}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    public static string ReceiptId(string kind, Guid resourceId) => $"{kind}:{resourceId:N}";

    public static void Record(IDocumentSession session, string kind, Guid resourceId, Guid actorId, string fingerprint, DateTimeOffset now) =>
        session.Store(new CreationReceipt
        {
            Id = ReceiptId(kind, resourceId), ResourceId = resourceId, CreatedBy = actorId, Fingerprint = fingerprint, CreatedAt = now,
        });

    /// <summary>
    /// The resource exists already: passes when this is a retry of the request that created it, refuses otherwise
    /// (another member's id: 409; the same key with another request: 422).
    /// </summary>
    public static async Task RequireSameRequestAsync(IQuerySession session, string kind, Guid resourceId, Guid actorId,
        Func<Task<string>> fingerprint)
    {
        var receipt = await session.LoadAsync<CreationReceipt>(ReceiptId(kind, resourceId));
        if (receipt is null || receipt.CreatedBy != actorId)
            throw new ProblemException(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict, Type = ProblemTypes.ConcurrentUpdate, Title = "Identifiant déjà utilisé",
                Detail = "Cet identifiant désigne déjà un autre élément : générez-en un nouveau pour une nouvelle création.",
            });
        var retried = Encoding.ASCII.GetBytes(await fingerprint());
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(receipt.Fingerprint), retried))
            throw new ProblemException(new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity, Type = ProblemTypes.IdempotencyKeyReused, Title = "Clé de requête déjà utilisée",
                Detail = "Cette clé (ou cet identifiant) a déjà servi à une demande différente, qui a été enregistrée. Pour une nouvelle " +
                         "demande, utilisez une nouvelle clé ; pour retrouver la première, rechargez la liste.",
            });
    }

    /// <summary>SHA-256 of a request that holds no nominative data (groups, séances, members' professional details).</summary>
    public static string PlainFingerprint<T>(T request) =>
        Convert.ToBase64String(SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request)));
}
