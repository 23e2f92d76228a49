using CaseExchange.Hosting;
using Npgsql;

namespace CaseExchange.Tests.Hosting;

/// <summary>The service asks Npgsql to prepare repeated statements, unless the operator's connection string decides.</summary>
public sealed class StatementPreparationTests
{
    [Fact]
    public void Repeated_statements_are_prepared_by_default()
    {
        var tuned = new NpgsqlConnectionStringBuilder(Database.WithStatementPreparation("Host=127.0.0.1;Database=caseexchange;Username=u;Password=p"));
        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.Equal("p", tuned.Password);
        Assert.Equal("caseexchange", tuned.Database);
    }

    [Fact]
    public void The_connection_string_can_turn_it_off()
    {
        var tuned = new NpgsqlConnectionStringBuilder(Database.WithStatementPreparation("Host=127.0.0.1;Max Auto Prepare=0;Auto Prepare Min Usages=7"));
        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.Equal(7, tuned.AutoPrepareMinUsages);
    }
}
