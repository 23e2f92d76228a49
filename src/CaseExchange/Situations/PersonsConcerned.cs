using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Correction;
using CaseExchange.Situations.Referral;
using Marten;
using Marten.Events;

namespace CaseExchange.Situations;

/// <summary>NOMINATIVE, IN CLEAR: one person concerned by a situation, decrypted in memory for a server-side check.</summary>
public sealed record PersonConcerned(Guid SituationId, SealedPerson Sealed, PersonIdentity Identity)
{
    public override string ToString() => "[personne concernée]";
}

/// <summary>Who a server-side check runs for, and which check it is (a code of <see cref="JournalActions.Checks"/>).</summary>
public sealed record ServerCheck(string Check, Guid? MemberId, string Subject)
{
    public static ServerCheck For(Actor actor, string check) => new(check, actor.Id, actor.Member.Subject);

    /// <summary>The service's own check (the retention sweep), with no member behind it.</summary>
    public static ServerCheck BySystem(string check) => new(check, null, JournalActions.SystemSubject);
}

/// <summary>
/// Decrypts the persons concerned by situations, server-side only: for the identity checks of texts typed in clear, the
/// retention sweep's age limit and the search behind a right of access. Nothing of them is returned to anyone. Each
/// situation decrypted is first journalled as a <see cref="JournalActions.ServerCheck"/> (who asked, which check), and
/// opened through <see cref="VaultReader"/> with that entry's receipt. Erased situations have no key and are skipped.
/// </summary>
public sealed class PersonsConcerned(VaultReader vault, AccessJournal journal)
{
    public async Task<IReadOnlyList<PersonConcerned>> OpenAsync(IQuerySession session, IEnumerable<Situation> situations, ServerCheck check,
        CancellationToken cancellation = default)
    {
        var readable = situations.Where(s => !s.IsErased).DistinctBy(s => s.Id).ToDictionary(s => s.Id);
        if (readable.Count == 0) return [];
        var ids = readable.Keys.ToArray();
        // The referral's persons, then those added, with every rectification applied in stream order.
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(ids) && e.EventTypesAre(CurrentPersons.EventTypes))
            .ToListAsync(cancellation);

        var persons = new List<PersonConcerned>();
        foreach (var stream in events.GroupBy(e => e.StreamId))
        {
            var situation = readable[stream.Key];
            var receipt = await journal.CommitAsync(session.TenantId, new JournalRequest(JournalActions.ServerCheck, situation.Id, situation.Pseudonym,
                check.MemberId, check.Subject, check.Check, null, null, Granted: true, Refusal: null), cancellation);
            var opened = await vault.OpenAsync(session, receipt, cancellation);
            persons.AddRange(CurrentPersons.Of(stream.OrderBy(e => e.Version).Select(e => e.Data),
                    sealedIdentity => opened.OpenJson<PersonIdentity>(SealedFields.PersonIdentity, sealedIdentity),
                    sealedCorrection => opened.OpenJson<IdentityCorrection>(SealedFields.IdentityCorrection, sealedCorrection))
                .Select(p => new PersonConcerned(situation.Id, p.Sealed, p.Identity)));
        }
        return persons;
    }
}
