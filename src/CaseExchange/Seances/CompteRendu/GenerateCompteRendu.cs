using CaseExchange.Situations;
using CaseExchange.Journal;
using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
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

public sealed record CompteRenduCreatedResponse(
    Guid SeanceId, int Number, string ContentHash, DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, string> Downloads, long Version, string Url)
    : CreationResponse(Url);

public static class GenerateCompteRenduEndpoint
{
    public const string IdentifyingTextProblem = IdentifyingText.Problem;

    [WolverinePost("/api/councils/{council}/seances/{seanceId}/compte-rendu", Summary = "Établir une version du compte rendu anonymisé"), Tags("Séances")]
    public static async Task<CompteRenduCreatedResponse> Post(string council, Guid seanceId, GenerateCompteRendu command, ClaimsPrincipal user,
        IDocumentSession session, IDocumentStore store, CharterPolicy policy, CompteRenduGenerator generator, CompteRenduKeys keys, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SeanceForWriting.FetchAsync(session, seanceId);
        target.RequirePreparer(actor, policy);
        target.RequireVersion(command.ExpectedVersion);

        var notes = command.Notes ?? [];
        var errors = new ValidationErrors()
            .OptionalText(command.SyntheseInClear, "synthese", "La synthèse générale", CompteRenduGenerator.MaxSyntheseLength)
            .OptionalText(command.ProchainesEtapesInClear, "prochainesEtapes", "Les prochaines étapes", CompteRenduGenerator.MaxProchainesEtapesLength)
            .When(notes.Select(n => n.SituationId).Distinct().Count() != notes.Count, "notes", "Une seule note par situation.");
        for (var i = 0; i < notes.Count; i++)
            errors.RequireText(notes[i].TextInClear, $"notes[{i}].text", "La note", CompteRenduGenerator.MaxNoteLength);
        errors.ThrowIfAny();
        if (!target.Seance.IsClosed)
            throw Problems.OutOfOrder("Le compte rendu s'établit après la séance : clôturez-la d'abord.");

        var texts = new CompteRenduTexts(command.SyntheseInClear, command.ProchainesEtapesInClear, notes);
        var sources = await generator.LoadAsync(session, target.Seance, texts);
        var examined = sources.Examined.Select(s => s.Id).ToHashSet();
        for (var i = 0; i < notes.Count; i++)
            errors.When(!examined.Contains(notes[i].SituationId), $"notes[{i}].situationId", "Cette situation n'a pas été examinée lors de cette séance.");
        errors.ThrowIfAny();

        var now = clock.GetUtcNow();
        var draft = generator.Draft(sources, texts, target.Seance.CompteRendus.Count + 1, now);
        if (draft.Content is null)
        {
            await IdentifyingTextRefusals.OnSeanceAsync(store, session.TenantId, seanceId, [.. draft.Refusals.Select(f => f.Field)], actor.Id, now);
            throw Refused(draft.Refusals);
        }

        var content = draft.Content;
        // The event keeps only the ciphertext and the hash: withdrawing the version destroys its key (CompteRenduKeys).
        var generated = new CompteRenduGenerated(seanceId, content.Number, Content: null, content.Hash(), actor.Id, now,
            keys.Seal(session, seanceId, content.Number, content, now));
        var version = target.Append(generated);
        var view = SeanceEndpoints.VersionView(council, seanceId, new CompteRenduVersion(generated.Number, generated.ContentHash, actor.Id, now));
        var url = $"/api/councils/{council}/seances/{seanceId}/compte-rendu";
        return new CompteRenduCreatedResponse(seanceId, generated.Number, generated.ContentHash, now, view.Downloads, version, url);
    }

    /// <summary>Points at each field and the position of what it found; never echoes it, never says which kind of identity matched.</summary>
    public static ProblemException Refused(IReadOnlyList<FieldFinding> findings)
    {
        var errors = findings.GroupBy(f => f.Field).ToDictionary(
            g => g.Key,
            g => new[] { IdentifyingText.Message($"Le texte « {g.First().FieldLabel} »") });
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = IdentifyingTextProblem,
            Title = "Texte identifiant refusé",
            Detail = "Le compte rendu n'a pas été établi : un texte libre désigne une personne connue du conseil. Corrigez les passages signalés : seul le refus est consigné.",
        };
        problem.Extensions["findings"] = findings.Select(f => new { field = f.Field, start = f.Start, length = f.Length }).ToArray();
        return new ProblemException(problem);
    }
}
