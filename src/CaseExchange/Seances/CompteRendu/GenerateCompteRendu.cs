using CaseExchange.Situations;
using CaseExchange.Journal;
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
    long? ExpectedVersion,
    [property: JsonPropertyName("releveDecisions")] IReadOnlyList<GeneralDecisionNote>? GeneralDecisions = null)
{
    public override string ToString() => "[textes de compte rendu]";
}

public sealed record CompteRenduCreatedResponse(
    Guid SeanceId, int Number, string ContentHash, DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, string> Downloads, long Version, string Url)
    : CreationResponse(Url);

public static class GenerateCompteRenduEndpoint
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/compte-rendu", Summary = "Établir une version du compte rendu anonymisé"), Tags("Séances")]
    public static Task<CompteRenduCreatedResponse> Post(Guid seanceId, GenerateCompteRendu command, CouncilRequest request,
        CompteRenduGenerator generator, CompteRenduKeys keys) =>
        GenerateCompteRenduUseCase.HandleAsync(request, seanceId, command, generator, keys);
}

/// <summary>
/// A new version of a closed séance's anonymised CR, from the coordonnateur's free texts: checked against every identity
/// of the persons concerned (a text naming one refuses the whole CR; the refusal is recorded, never the text), then sealed
/// under the version's own key.
/// </summary>
public static class GenerateCompteRenduUseCase
{
    public const string IdentifyingTextProblem = IdentifyingText.Problem;

    public static async Task<CompteRenduCreatedResponse> HandleAsync(CouncilRequest request, Guid seanceId, GenerateCompteRendu command,
        CompteRenduGenerator generator, CompteRenduKeys keys)
    {
        var (session, actor) = (request.Session, request.Actor);
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId, command.ExpectedVersion);
        Check(command).ThrowIfAny();
        RequireClosed(target.Seance);

        var notes = command.Notes ?? [];
        var texts = new CompteRenduTexts(command.SyntheseInClear, command.ProchainesEtapesInClear, notes, command.GeneralDecisions ?? []);
        CheckGeneralDecisions(command.GeneralDecisions ?? [], target.Seance).ThrowIfAny();
        var sources = await generator.LoadAsync(session, target.Seance, texts, request.Cancellation);
        CheckNotes(notes, sources.Examined.Select(s => s.Id).ToHashSet()).ThrowIfAny();

        var now = request.Now;
        var draft = generator.Draft(sources, texts, target.Seance.CompteRendus.Count + 1, now);
        if (draft.Content is null)
        {
            await IdentifyingTextRefusals.OnSeanceAsync(session.DocumentStore, session.TenantId, seanceId, [.. draft.Refusals.Select(f => f.Field)], actor.Id, now);
            throw Refused(draft.Refusals);
        }

        var content = draft.Content;
        // The event keeps only the ciphertext and the hash: withdrawing the version destroys its key (CompteRenduKeys).
        var generated = Decide(target.Seance, content, keys.Seal(session, seanceId, content.Number, content, now), actor.Id, now);
        var version = target.Append(generated);
        var view = CompteRenduVersionView.Of(request.Council, seanceId, new CompteRenduVersion(generated.Number, generated.ContentHash, actor.Id, now));
        var url = $"/api/councils/{request.Council}/seances/{seanceId}/compte-rendu";
        return new CompteRenduCreatedResponse(seanceId, generated.Number, generated.ContentHash, now, view.Downloads, version, url);
    }

    /// <summary>The free texts: bounded, one note per situation, no empty note.</summary>
    public static ValidationErrors Check(GenerateCompteRendu command)
    {
        var notes = command.Notes ?? [];
        var errors = new ValidationErrors()
            .OptionalText(command.SyntheseInClear, "synthese", "La synthèse générale", CompteRenduGenerator.MaxSyntheseLength)
            .OptionalText(command.ProchainesEtapesInClear, "prochainesEtapes", "Les prochaines étapes", CompteRenduGenerator.MaxProchainesEtapesLength)
            .When(notes.Select(n => n.SituationId).Distinct().Count() != notes.Count, "notes", "Une seule note par situation.");
        for (var i = 0; i < notes.Count; i++)
            errors.RequireText(notes[i].TextInClear, $"notes[{i}].text", "La note", CompteRenduGenerator.MaxNoteLength);
        return errors;
    }

    /// <summary>A decision is about a point of this séance's general part, one per point, bounded.</summary>
    public static ValidationErrors CheckGeneralDecisions(IReadOnlyList<GeneralDecisionNote> decisions, Seance seance)
    {
        var errors = new ValidationErrors()
            .When(decisions.Select(d => d.ItemId).Distinct().Count() != decisions.Count, "releveDecisions", "Une seule décision par point de la partie générale.");
        for (var i = 0; i < decisions.Count; i++)
        {
            errors.When(seance.GeneralItems.All(x => x.ItemId != decisions[i].ItemId), $"releveDecisions[{i}].itemId",
                "Ce point n'est pas inscrit à la partie générale de cette séance.");
            errors.OptionalText(decisions[i].TextInClear, $"releveDecisions[{i}].text", "La décision", CompteRenduGenerator.MaxNoteLength);
        }
        return errors;
    }

    /// <summary>A note is about a situation this séance examined.</summary>
    public static ValidationErrors CheckNotes(IReadOnlyList<SituationNote> notes, IReadOnlySet<Guid> examined)
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < notes.Count; i++)
            errors.When(!examined.Contains(notes[i].SituationId), $"notes[{i}].situationId", "Cette situation n'a pas été examinée lors de cette séance.");
        return errors;
    }

    /// <summary>The CR is drawn up after the séance.</summary>
    public static void RequireClosed(Seance seance)
    {
        if (!seance.IsClosed) throw Problems.OutOfOrder("Le compte rendu s'établit après la séance : clôturez-la d'abord.");
    }

    /// <summary>A version of a closed séance's CR: only the sealed content and its hash are kept.</summary>
    public static CompteRenduGenerated Decide(Seance seance, CompteRenduContent content, SealedText sealedContent, Guid generatedBy, DateTimeOffset now)
    {
        RequireClosed(seance);
        return new CompteRenduGenerated(seance.Id, content.Number, Content: null, content.Hash(), generatedBy, now, sealedContent);
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
