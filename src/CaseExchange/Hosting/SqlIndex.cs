using System.Data.Common;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace CaseExchange.Hosting;

/// <summary>
/// An index Marten's schema configuration cannot express (an expression over a table Marten owns, a partial index),
/// created with the event store's schema when missing: see <see cref="EventStore"/> for the ones the service declares
/// and why (README, "Growth with a council's history"). The table stays Marten's; only the index is ours.
/// </summary>
/// <param name="Name">The index's name, in the service's schema.</param>
/// <param name="Definition">What follows <c>on</c> in <c>create index … on</c>: table, columns or expressions, method, predicate.</param>
public sealed class SqlIndex(string Name, string Definition) : ISchemaObject
{
    public DbObjectName Identifier { get; } = new PostgresqlObjectName(Database.SchemaName, Name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine($"create index if not exists {Name} on {Definition};");

    public void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"drop index if exists {Database.SchemaName}.{Name};");

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder)
    {
        builder.Append("select count(*) from pg_indexes where schemaname = ");
        builder.AppendParameter(Database.SchemaName);
        builder.Append(" and indexname = ");
        builder.AppendParameter(Name);
        builder.Append(';');
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        var exists = await reader.ReadAsync(ct) && reader.GetInt64(0) > 0;
        return new SchemaObjectDelta(this, exists ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}
