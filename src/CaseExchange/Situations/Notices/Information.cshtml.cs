using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Notices;

/// <summary>One person's form: no free text, codes and dates only.</summary>
public sealed class NoticeForm
{
    public Guid? PersonId { get; set; }
    public DateOnly? InformedOn { get; set; }
    public string? Means { get; set; }
    public string? Reason { get; set; }
    public DateOnly? ReviewOn { get; set; }
    public long? ExpectedVersion { get; set; }
}

/// <summary>
/// The information of the persons concerned (charte, article 21), for the leads of the holding group: each person by
/// role only (never by name: the page is anonymised), informed on/by or deferred until, a form per person, the letter.
/// </summary>
public sealed class InformationModel : CouncilPageModel
{
    [BindProperty] public NoticeForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;
    public IReadOnlyList<PersonNotice> Notices { get; private set; } = [];
    public bool Open { get; private set; }

    /// <summary>Who recorded the information or the deferral: members of the council, by their display name.</summary>
    public IReadOnlyDictionary<Guid, string> Recorders { get; private set; } = new Dictionary<Guid, string>();

    public string RecorderOf(Guid? id) => id is { } m && Recorders.TryGetValue(m, out var name) ? name : "un membre";

    public async Task OnGetAsync(Guid situationId) => await LoadAsync(situationId);

    /// <summary>The letter as a file (DOCX or HTML to print), served by the same use case as the API.</summary>
    public async Task<IActionResult> OnGetLetterAsync(Guid situationId, string? format)
    {
        await LoadAsync(situationId);
        return new EndpointResult(await InformationLetterUseCase.HandleAsync(CouncilRequest, situationId, format ?? ""));
    }

    public string LetterHref(string format) => Href($"situations/{Situation.SituationId}/information?handler=Letter&format={format}");

    public async Task<IActionResult> OnPostInformAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(
            () => PersonNoticeUseCase.InformAsync(CouncilRequest, situationId, new InformPerson(Input.PersonId, Input.InformedOn, Input.Means, Input.ExpectedVersion)),
            changed => { Tell("Information de la personne enregistrée."); return Redirect(Href($"situations/{situationId}/information")); },
            () => Task.CompletedTask);
    }

    public async Task<IActionResult> OnPostDeferAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(
            () => PersonNoticeUseCase.DeferAsync(CouncilRequest, situationId, new DeferInformation(Input.PersonId, Input.Reason, Input.ReviewOn, Input.ExpectedVersion)),
            changed => { Tell("Report de l'information enregistré."); return Redirect(Href($"situations/{situationId}/information")); },
            () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        // The same rule as the use case: the leads of the holding group (403 otherwise).
        var target = await SituationForWriting.FetchAsync(Session, situationId);
        target.RequireLead(Actor, Policy);
        Notices = target.Situation.Notices;
        Open = !target.Situation.IsClosed && !target.Situation.IsErased;
        var recorders = Notices.SelectMany(n => new[] { n.InformedBy, n.DeferredBy }).OfType<Guid>().Distinct().ToArray();
        Recorders = recorders.Length == 0 ? new Dictionary<Guid, string>()
            : (await Session.LoadManyAsync<CaseExchange.Councils.Member>(HttpContext.RequestAborted, recorders)).ToDictionary(m => m.Id, m => m.DisplayName);
    }
}
