using CaseExchange.Charter;
using CaseExchange.Web;

namespace CaseExchange.Councils;

/// <summary>The member's home in a council: their groups and roles, the charter's state, what they can do from here.</summary>
public sealed class AccueilModel : CouncilPageModel
{
    public bool CanRefer => GroupsWhereICan(Capabilities.ReferSituations).Any();
    public bool IsCoordinator => HasCouncilCapability(Capabilities.ManageGroups);
    public bool CanReadStatistics => HasCouncilCapability(Capabilities.ReadStatistics) || HasCouncilCapability(Capabilities.ReadCommuneStatistics);
    public bool CanReadJournal => HasCouncilCapability(Capabilities.ReadJournal);

    public void OnGet()
    {
    }
}
