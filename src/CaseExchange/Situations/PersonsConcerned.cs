using CaseExchange.Protection;
using CaseExchange.Situations.Referral;
using Marten;
using Marten.Events;

namespace CaseExchange.Situations;

/// <summary>NOMINATIVE, IN CLEAR: one person concerned by a situation, decrypted in memory for a server-side check.</summary>
public sealed record PersonConcerned(Guid SituationId, SealedPerson Sealed, PersonIdentity Identity)
{
    public override string ToString() => "[personne concernée]";
}

/// <summary>
/// Decrypts the persons concerned by situations, server-side only: for the CR's identity check, the retention
/// sweep's age limit and the search behind a right of access. Erased situations have no key and are skipped.
/// </summary>
public sealed class PersonsConcerned(SituationKeys keys)
{
    public async Task<IReadOnlyList<PersonConcerned>> OpenAsync(IQuerySession session, IEnumerable<Situation> situations,
        CancellationToken cancellation = default)
    {
        var readable = situations.Where(s => !s.IsErased).Select(s => s.Id).Distinct().ToArray();
        if (readable.Length == 0) return [];
        var referrals = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(readable) && e.EventTypesAre(typeof(SituationReferred)))
            .ToListAsync(cancellation);

        var persons = new List<PersonConcerned>();
        foreach (var referral in referrals.Select(e => (SituationReferred)e.Data))
        {
            var cipher = await keys.OpenAsync(session, referral.SituationId, cancellation);
            persons.AddRange(referral.Persons.Select(p =>
                new PersonConcerned(referral.SituationId, p, cipher.OpenJson<PersonIdentity>(SealedFields.PersonIdentity, p.Identity))));
        }
        return persons;
    }
}
