using CaseExchange.Situations;
using CaseExchange.Journal;
using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Hosting;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.CompteRendu;

/// <summary>IN CLEAR until checked: the coordonnateur's free texts for the CR. Never logged.</summary>
public sealed record GenerateCompteRendu(
    [property: JsonPropertyName("synthese")] string? SyntheseInClear,
    [property: JsonPropertyName("prochainesEtapes")] string? ProchainesEtapesInClear,
    IReadOnlyList<SituationNote>? Notes,
    long? ExpectedVersion)
{
    public override string ToString() => "[textes de compte rendu]";
}

public sealed record CompteRenduCreated(
    Guid SeanceId, int Number, string ContentHash, DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, string> Downloads, long Version, string Url)
    : CreationResponse(Url);

public static class GenerateCompteRenduEndpoint
{
    public const string IdentifyingTextProblem = "urn:caseexchange:problem:identifying-free-text";

    [WolverinePost("/api/councils/{council}/seances/{seanceId}/compte-rendu", Summary = "Établir une version du compte rendu anonymisé"), Tags("Séances")]
    public static async Task<CompteRenduCreated> Post(string council, Guid seanceId, GenerateCompteRendu command, ClaimsPrincipal user,
        IDocumentSession session, IDocumentStore store, CharterPolicy policy, CompteRenduGenerator generator, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SeanceForWriting.FetchAsync(session, seanceId);
        target.RequirePreparer(actor, policy);

        var notes = command.Notes ?? [];
        var errors = new ValidationErrors()
            .OptionalText(command.SyntheseInClear, "synthese", "La synthèse générale", CompteRenduGenerator.MaxSyntheseLength)
            .OptionalText(command.ProchainesEtapesInClear, "prochainesEtapes", "Les prochaines étapes", CompteRenduGenerator.MaxProchainesEtapesLength)
            .When(notes.Select(n => n.SituationId).Distinct().Count() != notes.Count, "notes", "Une seule note par situation.");
        for (var i = 0; i < notes.Count; i++)
            errors.RequireText(notes[i].TextInClear, $"notes[{i}].text", "La note", CompteRenduGenerator.MaxNoteLength);
        errors.ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        if (!target.Seance.IsClosed)
            throw Problems.OutOfOrder("Le compte rendu s'établit après la séance : clôturez-la d'abord.");

        var sources = await generator.LoadAsync(session, target.Seance, ServerCheck.For(actor, JournalActions.Checks.CompteRenduText));
        var examined = sources.Examined.Select(s => s.Id).ToHashSet();
        for (var i = 0; i < notes.Count; i++)
            errors.When(!examined.Contains(notes[i].SituationId), $"notes[{i}].situationId", "Cette situation n'a pas été examinée lors de cette séance.");
        errors.ThrowIfAny();

        var now = clock.GetUtcNow();
        var texts = new CompteRenduTexts(command.SyntheseInClear, command.ProchainesEtapesInClear, notes);
        var draft = generator.Draft(sources, texts, target.Seance.CompteRendus.Count + 1, now);
        if (draft.Content is null)
        {
            await RecordRefusalAsync(store, session.TenantId, seanceId, draft.Refusals, actor.Id, now);
            throw Refused(draft.Refusals);
        }

        var content = draft.Content;
        var generated = new CompteRenduGenerated(seanceId, content.Number, content, content.Hash(), actor.Id, now);
        var version = target.Append(generated);
        var view = SeanceEndpoints.VersionView(council, seanceId, new CompteRenduVersion(generated.Number, generated.ContentHash, actor.Id, now));
        var url = $"/api/councils/{council}/seances/{seanceId}/compte-rendu";
        return new CompteRenduCreated(seanceId, generated.Number, generated.ContentHash, now, view.Downloads, version, url);
    }

    /// <summary>
    /// The refusal is kept on the séance stream (who, when, which field, which kind; never the text), in its own
    /// transaction since the request fails: repeated refusals, e.g. someone probing names, stay visible to auditors.
    /// </summary>
    private static async Task RecordRefusalAsync(IDocumentStore store, string tenant, Guid seanceId, IReadOnlyList<FieldFinding> findings,
        Guid writtenBy, DateTimeOffset now)
    {
        await using var audit = store.LightweightSession(tenant);
        // Through FetchForWriting, so that the inline Seance snapshot is applied at the stream's actual version.
        var stream = await audit.Events.FetchForWriting<Seance>(seanceId);
        stream.AppendOne(new CompteRenduTextRefused(seanceId, [.. findings.Select(f => new RefusedText(f.Field, f.Kind)).Distinct()], writtenBy, now));
        await audit.SaveChangesAsync();
    }

    /// <summary>Points at each field and the kind of identity element it holds, with its position; never echoes it.</summary>
    public static ProblemException Refused(IReadOnlyList<FieldFinding> findings)
    {
        var errors = findings.GroupBy(f => f.Field).ToDictionary(
            g => g.Key,
            g => g.Select(f => f.Kind).Distinct().Select(kind =>
                $"Le texte « {g.First().FieldLabel} » contient {IdentityKinds.Describe(kind)} d'une personne concernée par une situation " +
                $"de cette séance (position {g.First(f => f.Kind == kind).Start + 1}) : retirez-le. Le compte rendu sort du groupe et ne " +
                "doit comporter ni nom, ni prénom, ni initiales, ni date de naissance, ni adresse (charte, article 9).").ToArray());
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = IdentifyingTextProblem,
            Title = "Texte identifiant refusé",
            Detail = "Le compte rendu n'a pas été établi : un texte libre désigne une personne concernée. Corrigez les passages signalés ; rien n'a été enregistré.",
        };
        problem.Extensions["findings"] = findings.Select(f => new { field = f.Field, kind = f.Kind, start = f.Start, length = f.Length }).ToArray();
        return new ProblemException(problem);
    }
}
