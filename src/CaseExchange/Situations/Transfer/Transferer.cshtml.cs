using CaseExchange.Councils;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Transfer;

public sealed class TransferForm
{
    public Guid? ToGroupId { get; set; }

    /// <summary>NOMINATIVE, IN CLEAR until sealed.</summary>
    public string? Reason { get; set; }

    public long? ExpectedVersion { get; set; }
}

/// <summary>Handing a situation over to another group of the council: the animateur of the holding group or the coordonnateur.</summary>
public sealed class TransfererModel(SituationKeys keys) : CouncilPageModel
{
    [BindProperty] public TransferForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;
    public string HoldingGroupName { get; private set; } = "";

    /// <summary>The council's other groups (names only): where the situation may go.</summary>
    public IReadOnlyList<Group> Destinations { get; private set; } = [];

    /// <summary>Why the form is not offered (closed or erased), or null when it is.</summary>
    public string? NotTransferable { get; private set; }

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.ExpectedVersion = Situation.Version;
    }

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(
            () => TransferSituationUseCase.HandleAsync(CouncilRequest, situationId,
                new TransferSituation(Input.ToGroupId ?? Guid.Empty, Input.Reason, Input.ExpectedVersion), keys),
            changed =>
            {
                var to = Destinations.FirstOrDefault(g => g.Id == Input.ToGroupId)?.Name ?? "de destination";
                Tell($"Situation {changed.Pseudonym} transférée au groupe {to}.");
                // The former holding group's animateur may no longer see it: back to the list.
                return Redirect(Href("situations"));
            },
            () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        // The same rule as the use case: the form is offered only to those who may transfer (403 otherwise).
        var target = await SituationForWriting.FetchAsync(Session, situationId);
        target.RequireLead(Actor, Policy);
        HoldingGroupName = target.HoldingGroup?.Name ?? "groupe inconnu";
        Destinations = [.. (await Session.Query<Group>().OrderBy(g => g.Name).ToListAsync(HttpContext.RequestAborted))
            .Where(g => g.Id != target.Situation.GroupId)];
        NotTransferable = SituationForWriting.WhyNotOpen(target.Situation);
    }
}
