using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Seances.Agenda;
using CaseExchange.Seances.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Seances.CompteRendu;

/// <summary>IN CLEAR until checked by the identity guard: the coordonnateur's free texts for the CR.</summary>
public sealed class CompteRenduForm
{
    public string? Synthese { get; set; }
    public string? ProchainesEtapes { get; set; }

    /// <summary>A note per examined situation; blank ones are left out.</summary>
    public Dictionary<Guid, string?> Notes { get; set; } = [];

    /// <summary>The decision on each point of the general part (relevé de décisions); blank ones are left out.</summary>
    public Dictionary<Guid, string?> Decisions { get; set; } = [];

    public long? ExpectedVersion { get; set; }

    public override string ToString() => "[textes de compte rendu]";
}

/// <summary>
/// The anonymised CR of a closed séance: the form of the coordonnateur's free texts (checked against every identity of
/// the persons concerned by the use case, which refuses the whole CR naming the field and the kind of element, never
/// the value), every version with its preview, rendered here from the version's content model (escaped by Razor, no
/// markup from the stored document), and its downloads. The group's members reach it too, to read and download.
/// </summary>
public sealed class CompteRenduModel(CompteRenduGenerator generator, CompteRenduKeys keys, CaseExchange.Journal.AccessJournal journal)
    : CouncilPageModel
{
    [BindProperty] public CompteRenduForm Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "version")] public int? Shown { get; set; }

    public SeanceView Seance { get; private set; } = null!;
    public IReadOnlyList<CompteRenduVersionView> Versions { get; private set; } = [];
    public OpenedCompteRendu? Preview { get; private set; }

    /// <summary>The last version was withdrawn: its texts were destroyed with it, so the form starts empty.</summary>
    public bool PreviousWithdrawn { get; private set; }
    public bool CanWrite { get; private set; }

    /// <summary>The coordonnateur may withdraw a version (its content is destroyed).</summary>
    public bool CanWithdraw { get; private set; }

    /// <summary>The last submission was refused because a text names a person concerned.</summary>
    public bool IdentityRefused { get; private set; }

    public IEnumerable<AgendaItem> Examined => Seance.OrdreDuJour.Where(i => i.State == AgendaItemStates.Examinee);

    public async Task OnGetAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        Input.ExpectedVersion = Seance.Version;
        var shown = Versions.FirstOrDefault(v => v.Number == (Shown ?? Versions.FirstOrDefault(x => !x.Withdrawn)?.Number));
        if (shown is { Withdrawn: false })
            Preview = await DownloadCompteRenduUseCase.OpenAsync(CouncilRequest, seanceId, shown.Number, keys);
        if (CanWrite && Versions.Count > 0) await PrefillAsync(seanceId);
    }

    /// <summary>A new version starts from the texts of the last one, unless that one was withdrawn (its texts are gone).</summary>
    private async Task PrefillAsync(Guid seanceId)
    {
        var last = Versions[0];
        if (last.Withdrawn)
        {
            PreviousWithdrawn = true;
            return;
        }
        var previous = Preview?.Number == last.Number ? Preview : await DownloadCompteRenduUseCase.OpenAsync(CouncilRequest, seanceId, last.Number, keys);
        Input.Synthese = previous.Content.Synthese;
        Input.ProchainesEtapes = previous.Content.ProchainesEtapes;
        var notes = previous.Content.Examined.Where(s => s.Note is not null).ToDictionary(s => s.Pseudonym, s => s.Note);
        foreach (var item in Examined)
            if (notes.TryGetValue(item.Pseudonym, out var note)) Input.Notes[item.SituationId] = note;
        var items = Seance.GeneralItems ?? [];
        var decided = previous.Content.GeneralPart ?? [];
        for (var i = 0; i < items.Count && i < decided.Count; i++)
            if (decided[i].Decision is { } decision) Input.Decisions[items[i].ItemId] = decision;
    }

    public async Task<IActionResult> OnPostAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        var notes = Input.Notes.Where(n => !string.IsNullOrWhiteSpace(n.Value)).Select(n => new SituationNote(n.Key, n.Value)).ToList();
        var decisions = Input.Decisions.Where(d => !string.IsNullOrWhiteSpace(d.Value)).Select(d => new GeneralDecisionNote(d.Key, d.Value)).ToList();
        var command = new GenerateCompteRendu(Input.Synthese, Input.ProchainesEtapes, notes, Input.ExpectedVersion, decisions);
        return await SubmitAsync(
            async () =>
            {
                try
                {
                    return await GenerateCompteRenduUseCase.HandleAsync(CouncilRequest, seanceId, command, generator, keys);
                }
                catch (Http.ProblemException e) when (e.Problem.Type == GenerateCompteRenduUseCase.IdentifyingTextProblem)
                {
                    IdentityRefused = true;
                    throw;
                }
            },
            created =>
            {
                Tell($"La version {created.Number} du compte rendu est établie. Relisez-la ci-dessous avant de la télécharger et de la diffuser au groupe.");
                return Redirect(Href($"seances/{seanceId}/compte-rendu?version={created.Number}") + "#apercu");
            },
            async () =>
            {
                // The refusal itself was recorded on the séance (field and kind, never the text): one event later.
                if (IdentityRefused && Input.ExpectedVersion is { } seen)
                {
                    ModelState.Remove("Input.ExpectedVersion");
                    Input.ExpectedVersion = seen + 1;
                }
                if (Versions.FirstOrDefault(v => !v.Withdrawn) is { } latest)
                    Preview = await DownloadCompteRenduUseCase.OpenAsync(CouncilRequest, seanceId, latest.Number, keys);
            },
            mapField: field => MapDecisionField(MapNoteField(field, notes), decisions));
    }

    /// <summary>Withdraws a version through the API's use case (which judges, journals and destroys the version's key).</summary>
    public async Task<IActionResult> OnPostRetirerAsync(Guid seanceId, int version, string? reason, long? expectedVersion)
    {
        await LoadAsync(seanceId);
        return await SubmitAsync(
            () => WithdrawCompteRenduUseCase.HandleAsync(CouncilRequest, seanceId, version, new WithdrawCompteRendu(reason, expectedVersion), journal, keys),
            withdrawn =>
            {
                Tell($"La version {withdrawn.Number} du compte rendu est retirée : son contenu est détruit. Demandez au groupe de supprimer les copies téléchargées.");
                return Redirect(Href($"seances/{seanceId}/compte-rendu"));
            },
            async () =>
            {
                Input.ExpectedVersion = Seance.Version;
                if (Versions.FirstOrDefault(v => !v.Withdrawn) is { } latest)
                    Preview = await DownloadCompteRenduUseCase.OpenAsync(CouncilRequest, seanceId, latest.Number, keys);
            },
            prefix: "Retrait");
    }

    /// <summary>A version as a file (DOCX, HTML or Markdown), served by the same use case as the API.</summary>
    public async Task<IActionResult> OnGetTelechargerAsync(Guid seanceId, int version, string? format) =>
        new EndpointResult(await DownloadCompteRenduUseCase.HandleAsync(CouncilRequest, seanceId, version, format ?? "", keys));

    public string DownloadHref(int version, string format) =>
        Href($"seances/{Seance.SeanceId}/compte-rendu?handler=Telecharger&version={version}&format={format}");

    public static string FormatLabel(string format) => format switch
    {
        CompteRenduFormats.Docx => "Word (DOCX)",
        CompteRenduFormats.Html => "page web (HTML)",
        CompteRenduFormats.Markdown => "texte (Markdown)",
        _ => format,
    };

    private async Task LoadAsync(Guid seanceId)
    {
        // Whoever may read the CR (the group's members under the charter, the coordonnateur): the same check as the downloads.
        Versions = await ListCompteRendusUseCase.HandleAsync(CouncilRequest, seanceId);
        Seance = await ViewSeanceUseCase.HandleAsync(CouncilRequest, seanceId);
        var group = await Session.LoadAsync<Group>(Seance.GroupId);
        CanWrite = Seance.Closed && AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council, group, Capabilities.PrepareSeances).Allowed;
        CanWithdraw = AccessRules.WithdrawCompteRendu(Policy, Actor.Member, Actor.Council).Allowed;
    }

    private static string MapDecisionField(string field, IReadOnlyList<GeneralDecisionNote> decisions)
    {
        if (!field.StartsWith("releveDecisions[", StringComparison.Ordinal)) return field;
        var close = field.IndexOf(']');
        return int.TryParse(field.AsSpan(16, close - 16), out var index) && index < decisions.Count ? $"decisions[{decisions[index].ItemId}]" : "synthese";
    }

    private static string MapNoteField(string field, IReadOnlyList<SituationNote> notes)
    {
        if (!field.StartsWith("notes[", StringComparison.Ordinal)) return field;
        var close = field.IndexOf(']');
        return int.TryParse(field.AsSpan(6, close - 6), out var index) && index < notes.Count ? $"notes[{notes[index].SituationId}]" : "synthese";
    }
}
