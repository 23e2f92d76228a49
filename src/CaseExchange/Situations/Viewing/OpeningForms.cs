using CaseExchange.Http;
using Marten;
using JasperFx;

namespace CaseExchange.Situations.Viewing;

/// <summary>
/// The page's opening form is good for one opening: it carries a token issued with it, consumed by the first post.
/// A browser refresh of the full file re-sends the same form; its token is spent, so nothing is opened or journalled
/// again and the page offers a fresh form instead. The consumption is a document insert, so two posts of the same
/// token race on the primary key and only one wins.
/// </summary>
public static class OpeningForms
{
    private const string Kind = "formulaire-ouverture";

    public static Guid Issue() => Guid.NewGuid();

    /// <summary>True when this post is the token's first; false when it was already used (a replayed form).</summary>
    public static async Task<bool> TryConsumeAsync(IDocumentStore store, string council, Guid token, Guid situationId, Guid memberId,
        DateTimeOffset now, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(council);
        session.Insert(new CreationReceipt
        {
            Id = IdempotentCreation.ReceiptId(Kind, token), ResourceId = situationId, CreatedBy = memberId, Fingerprint = "", CreatedAt = now,
        });
        try
        {
            await session.SaveChangesAsync(cancellation);
            return true;
        }
        catch (DocumentAlreadyExistsException)
        {
            return false;
        }
    }
}
