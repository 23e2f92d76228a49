using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Journal;

/// <summary>
/// The one place where a guard refusal (a clear text naming a person known to the council) is recorded and answered.
/// The record says who, where (the situation's journal chain, or the séance's stream), when and which field; never the
/// text nor the kind of identity that matched. Each record is committed in a transaction of its own before the refusal
/// is returned, so that repeated refusals (someone probing names) stay visible to auditors although the request fails.
/// <para>Situation-level refusals go to the situation's journal chain for now; a council-level chain for refusals
/// that name no situation can replace them here, in one place.</para>
/// </summary>
public static class IdentifyingTextRefusals
{
    /// <summary>Journals the refusal on the situation's chain, then returns the 400 to throw.</summary>
    public static async Task<ProblemException> OnSituationAsync(AccessJournal journal, string council, Situation situation, Actor actor,
        IReadOnlyList<(string Field, string Label)> fields, CancellationToken cancellation = default)
    {
        await journal.AppendAsync(council, new JournalRequest(JournalActions.IdentifyingTextRefused, situation.Id, situation.Pseudonym, actor.Id,
            actor.Member.Subject, Purpose: null, ArchiveReasonCode: null, ArchiveReasonDetail: null, Granted: false, Refusal: Refusals.IdentifyingText),
            cancellation);
        return Problem(fields);
    }

    /// <summary>
    /// Journals the refusal on the council's chain (a text that belongs to no situation: a partner organisation's name),
    /// then returns the 400 to throw.
    /// </summary>
    public static async Task<ProblemException> OnCouncilAsync(AccessJournal journal, string council, Actor actor,
        IReadOnlyList<(string Field, string Label)> fields, CancellationToken cancellation = default)
    {
        await journal.AppendCouncilRefusalAsync(council, JournalActions.IdentifyingTextRefused, actor.Id, actor.Member.Subject, purpose: null,
            Refusals.IdentifyingText, cancellation);
        return Problem(fields);
    }

    /// <summary>Records the refusal on the séance's stream (CR texts, guests), then returns the 400 to throw.</summary>
    public static async Task<ProblemException> OnSeanceAsync(IDocumentStore store, string council, Guid seanceId,
        IReadOnlyList<(string Field, string Label)> fields, Guid writtenBy, DateTimeOffset now, CancellationToken cancellation = default)
    {
        await OnSeanceAsync(store, council, seanceId, [.. fields.Select(f => f.Field)], writtenBy, now, cancellation);
        return Problem(fields);
    }

    public static async Task OnSeanceAsync(IDocumentStore store, string council, Guid seanceId, IReadOnlyList<string> fields, Guid writtenBy,
        DateTimeOffset now, CancellationToken cancellation = default)
    {
        await using var audit = store.LightweightSession(council);
        // Through FetchForWriting, so that the inline Seance snapshot is applied at the stream's actual version.
        var stream = await audit.Events.FetchForWriting<Seance>(seanceId, cancellation);
        stream.AppendOne(new CompteRenduTextRefused(seanceId, [.. fields.Distinct().Select(f => new RefusedText(f, IdentifyingText.AnyKind))], writtenBy, now));
        await audit.SaveChangesAsync(cancellation);
    }

    /// <summary>One generic message per field: it names the field, never the kind of identity that matched.</summary>
    public static ProblemException Problem(IReadOnlyList<(string Field, string Label)> fields)
    {
        var problem = new HttpValidationProblemDetails(fields.GroupBy(f => f.Field)
            .ToDictionary(g => g.Key, g => new[] { IdentifyingText.Message(g.First().Label) }))
        {
            Status = StatusCodes.Status400BadRequest,
            Type = IdentifyingText.Problem,
            Title = "Texte identifiant refusé",
            Detail = "Un texte saisi en clair désigne une personne connue du conseil. Corrigez les champs signalés : le texte n'a pas été enregistré (le refus, lui, est consigné).",
        };
        return new ProblemException(problem);
    }
}
