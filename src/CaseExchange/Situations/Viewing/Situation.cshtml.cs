using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Viewing;

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

    /// <summary>Animateur of the holding group or coordonnateur, under the charter: offered the group-level acts (closure, transfer).</summary>
    public bool CanLead { get; private set; }

    /// <summary>NOMINATIVE, IN CLEAR: set only in the response to an accepted opening.</summary>
    public NominativeSituationFile? NominativeFile { get; private set; }

    public string JournalNotice => CaseExchange.Journal.JournalNotice.Text;

    public async Task OnGetAsync(Guid situationId) => await LoadAsync(situationId);

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        // The use case decides, and journals, first: a forged form from someone who may not even see the anonymised
        // row is refused and journalled like any attempt. A closed situation's form asks for the archive reason.
        var closed = (await Session.LoadAsync<Situation>(situationId))?.ClosedAt is not null;
        var archive = closed ? new ArchiveAccessReason(Input.ArchiveReason.Code, Input.ArchiveReason.Detail) : null;
        return await SubmitAsync(
            async () =>
            {
                var file = await OpenFileUseCase.HandleAsync(CouncilRequest, situationId, new OpenFile(Input.Purpose, archive), keys, journal, vault);
                await LoadAsync(situationId);
                return file;
            },
            file =>
            {
                NominativeFile = file;
                Situation = file.Summary;
                return Page();
            },
            () => LoadAsync(situationId));
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        var group = await Session.LoadAsync<Group>(Situation.GroupId);
        GroupName = group?.Name ?? "groupe inconnu";
        CanLead = AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council, group, Capabilities.LeadSituations).Allowed;
        InHoldingGroup = group?.RoleOf(Actor.Id) is { } role && Policy.RoleHas(role, Capabilities.OpenNominativeFiles);
        if (Situation.ReferentId is { } referent)
            ReferentName = (await Session.LoadAsync<Member>(referent)) is { } m ? $"{m.DisplayName} ({m.Organisation})" : null;
    }
}
