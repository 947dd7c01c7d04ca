// Command ttads-client-smoke makes one real call with the generated Go
// stubs (clients/generate.sh): PreflightService.PublishCheck against a
// running preflight server, with an API key.
//
//	ttads-client-smoke -addr 127.0.0.1:50052 -key KEY -advertiser ID -objective TRAFFIC
//
// It prints the response as proto3 JSON and exits 0, or prints
// {"code": <gRPC code name>, "field_violations": [<field>...]} and exits 2
// when the call fails with a status (google.rpc.BadRequest details decoded).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	protov1 "github.com/golang/protobuf/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	rpcpb "google.golang.org/genproto/googleapis/rpc/errdetails"
	preflightv1 "ttads/clients/go/ttads/preflight/v1"
)

func main() {
	addr := flag.String("addr", "", "preflight gRPC address (host:port)")
	key := flag.String("key", "", "API key, sent as `authorization: Bearer KEY`")
	advertiser := flag.String("advertiser", "", "advertiser id")
	objective := flag.String("objective", "TRAFFIC", "TikTok objective")
	flag.Parse()
	if *addr == "" {
		log.Fatal("-addr is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := grpc.DialContext(ctx, *addr, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		log.Fatalf("dialing %s: %v", *addr, err)
	}
	defer conn.Close()
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+*key)
	client := preflightv1.NewPreflightServiceClient(conn)
	resp, err := client.PublishCheck(ctx, &preflightv1.PublishCheckRequest{
		AdvertiserId: *advertiser,
		Objective:    *objective,
	})
	if err != nil {
		st, _ := status.FromError(err)
		out := map[string]interface{}{"code": st.Code().String(), "message": st.Message()}
		fields := []string{}
		// google.rpc.BadRequest details (genproto in Debian 12 is APIv1).
		for _, detail := range st.Proto().GetDetails() {
			var br rpcpb.BadRequest
			if protov1.Unmarshal(detail.GetValue(), &br) == nil {
				for _, v := range br.GetFieldViolations() {
					fields = append(fields, v.GetField())
				}
			}
		}
		out["field_violations"] = fields
		b, _ := json.Marshal(out)
		fmt.Println(string(b))
		os.Exit(2)
	}
	b, err := protojson.Marshal(resp)
	if err != nil {
		log.Fatalf("printing the response: %v", err)
	}
	fmt.Println(string(b))
}
