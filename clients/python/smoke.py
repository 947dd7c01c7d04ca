"""One real call with the generated Python stubs (clients/generate.sh).

PreflightService.PublishCheck against a running preflight server:

    PYTHONPATH=OUT/python /usr/bin/python3 clients/python/smoke.py \
        --addr 127.0.0.1:50052 --key KEY --advertiser ID --objective TRAFFIC

Prints the response as proto3 JSON and exits 0, or prints
{"code": <gRPC code name>, "field_violations": [<field>...]} and exits 2 when
the call fails with a status (google.rpc.BadRequest details decoded).
"""
import argparse
import json
import sys

import grpc
from google.protobuf import json_format
from google.rpc import error_details_pb2
from google.rpc import status_pb2

from ttads.preflight.v1 import preflight_service_pb2
from ttads.preflight.v1 import preflight_service_pb2_grpc


def _field_violations(error):
    """Fields named by the google.rpc.BadRequest details of a failed call."""
    fields = []
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            request = error_details_pb2.BadRequest()
            if detail.Unpack(request):
                fields.extend(v.field for v in request.field_violations)
    return fields


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", required=True)
    parser.add_argument("--key", default="")
    parser.add_argument("--advertiser", default="")
    parser.add_argument("--objective", default="TRAFFIC")
    args = parser.parse_args()
    with grpc.insecure_channel(args.addr) as channel:
        stub = preflight_service_pb2_grpc.PreflightServiceStub(channel)
        request = preflight_service_pb2.PublishCheckRequest(
            advertiser_id=args.advertiser, objective=args.objective)
        try:
            response = stub.PublishCheck(
                request, timeout=20,
                metadata=[("authorization", "Bearer " + args.key)])
        except grpc.RpcError as error:
            print(json.dumps({"code": error.code().name,
                              "message": error.details(),
                              "field_violations": _field_violations(error)}))
            return 2
    print(json_format.MessageToJson(response, indent=None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
