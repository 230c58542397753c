using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

/// <summary>The devices <c>service Query</c>: one handler per rpc.</summary>
public sealed class DevicesQueryServer(DevicesKeeper keeper)
{
    public const int MaxQueryLimit = 1_000;

    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Device", QueryDeviceRequest.Parser, Device);
        query.Register("DevicesByOwner", QueryDevicesByOwnerRequest.Parser, DevicesByOwner);
        query.Register("DevicesInCell", QueryDevicesInCellRequest.Parser, DevicesInCell);
        query.Register("AllDevices", QueryAllDevicesRequest.Parser, AllDevices);
        query.Register("LocationHistory", QueryLocationHistoryRequest.Parser, LocationHistory);
        query.Register("DensityCells", QueryDensityCellsRequest.Parser, DensityCells);
        query.Register("Makers", QueryMakersRequest.Parser, Makers);
        query.Register("Params", QueryParamsRequest.Parser, Params);
    }

    public QueryDeviceResponse Device(Context ctx, QueryDeviceRequest req)
        => new() { Device = keeper.GetDeviceRecord(ctx, req.Key.Span) ?? throw SdkErrors.NotFound($"device {Convert.ToHexString(req.Key.Span)}") };

    public QueryDevicesResponse DevicesByOwner(Context ctx, QueryDevicesByOwnerRequest req)
    {
        var response = new QueryDevicesResponse();
        response.Devices.AddRange(keeper.DevicesByOwner(ctx, Bech32Address.Parse(req.Owner)));
        return response;
    }

    /// <summary>Active located devices in the grid cell of the given level around a point (at most <see cref="MaxQueryLimit"/>).</summary>
    public QueryDevicesResponse DevicesInCell(Context ctx, QueryDevicesInCellRequest req)
    {
        var point = new GeoPoint(req.LatitudeMicro, req.LongitudeMicro);
        if (!point.IsValid) throw SdkErrors.InvalidRequest("coordinates out of range");
        if (req.Level > GeoCell.FinestLevel) throw SdkErrors.InvalidRequest($"level must be at most {GeoCell.FinestLevel}");
        var limit = req.Limit is 0 or > MaxQueryLimit ? MaxQueryLimit : (int)req.Limit;
        var response = new QueryDevicesResponse();
        response.Devices.AddRange(keeper.DevicesInCell(ctx, GeoCell.Containing(point, (int)req.Level), limit));
        return response;
    }

    /// <summary>The SDK's default page size (<c>query.DefaultLimit</c>).</summary>
    public const ulong DefaultPageLimit = 100;

    public QueryAllDevicesResponse AllDevices(Context ctx, QueryAllDevicesRequest req)
    {
        var (page, pagination) = keeper.DevicesPage(ctx, req.Pagination, DefaultPageLimit);
        var response = new QueryAllDevicesResponse { Pagination = pagination };
        response.Devices.AddRange(page);
        return response;
    }

    public QueryLocationHistoryResponse LocationHistory(Context ctx, QueryLocationHistoryRequest req)
    {
        if (keeper.GetDeviceRecord(ctx, req.Key.Span) is null) throw SdkErrors.NotFound($"device {Convert.ToHexString(req.Key.Span)}");
        var response = new QueryLocationHistoryResponse();
        response.Locations.AddRange(keeper.LocationHistory(ctx, req.Key.Span));
        return response;
    }

    public QueryDensityCellsResponse DensityCells(Context ctx, QueryDensityCellsRequest req)
    {
        if (req.Level > GeoCell.FinestLevel) throw SdkErrors.InvalidRequest($"level must be at most {GeoCell.FinestLevel}");
        var response = new QueryDensityCellsResponse();
        foreach (var (cell, devices) in keeper.OccupiedCells(ctx, (int)req.Level))
        {
            var (south, west, north, east) = cell.BoundsMicro();
            response.Cells.Add(new DensityCell
            {
                Level = req.Level, Index = cell.Index, Devices = devices,
                SouthMicro = south, WestMicro = west, NorthMicro = north, EastMicro = east,
            });
        }
        return response;
    }

    public QueryMakersResponse Makers(Context ctx, QueryMakersRequest _)
    {
        var response = new QueryMakersResponse();
        response.Makers.AddRange(keeper.Makers(ctx));
        return response;
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new() { Params = keeper.GetParams(ctx) };
}
