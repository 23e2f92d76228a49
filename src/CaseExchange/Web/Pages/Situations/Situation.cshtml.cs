using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Web.Pages.Situations;

public sealed class ArchiveReasonForm
{
    public string? Code { get; set; }

    /// <summary>NOMINATIVE, IN CLEAR: a written justification may name the person.</summary>
    public string? Detail { get; set; }
}

public sealed class OpenFileForm
{
    public string? Purpose { get; set; }
    public ArchiveReasonForm ArchiveReason { get; set; } = new();
}

/// <summary>
/// One situation, anonymised; for a member of the holding group, the form that opens the full file after stating a
/// purpose. The full file is the answer to that POST only: never in a URL, never cached, and the page says that the
/// consultation is recorded in the access journal.
/// </summary>
public sealed class SituationModel(SituationKeys keys, AccessJournal journal, VaultReader vault) : CouncilPageModel
{
    [BindProperty] public OpenFileForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;
    public string GroupName { get; private set; } = "";
    public string? ReferentName { get; private set; }

    /// <summary>Only members of the holding group are offered the form; the use case decides, and journals, anyway.</summary>
    public bool InHoldingGroup { get; private set; }

    /// <summary>NOMINATIVE, IN CLEAR: set only in the response to an accepted opening.</summary>
    public NominativeSituationFile? NominativeFile { get; private set; }

    public string JournalNotice => CouncilEndpoints.JournalNotice;

    public async Task OnGetAsync(Guid situationId) => await LoadAsync(situationId);

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        // A closed situation's form asks for the archive reason: an empty one is a form error, not a refusal.
        var archive = Situation.ClosedAt is null ? null : new ArchiveAccessReason(Input.ArchiveReason.Code, Input.ArchiveReason.Detail);
        return await SubmitAsync(
            () => OpenFileEndpoint.Post(Council, situationId, new OpenFile(Input.Purpose, archive), User, Session, Policy, keys, journal, vault,
                HttpContext.RequestAborted),
            file =>
            {
                NominativeFile = file;
                Situation = file.Summary;
                return Page();
            },
            () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await AnonymisedViewEndpoints.Get(Council, situationId, User, Session, Policy);
        var group = await Session.LoadAsync<Group>(Situation.GroupId);
        GroupName = group?.Name ?? "groupe inconnu";
        InHoldingGroup = group?.RoleOf(Actor.Id) is { } role && Policy.RoleHas(role, Capabilities.OpenNominativeFiles);
        if (Situation.ReferentId is { } referent)
            ReferentName = (await Session.LoadAsync<Member>(referent)) is { } m ? $"{m.DisplayName} ({m.Organisation})" : null;
    }
}
