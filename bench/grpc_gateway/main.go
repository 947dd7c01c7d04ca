// Command ttads-grpc-gateway is grpc-gateway (v1, Debian's
// golang-github-grpc-ecosystem-grpc-gateway-dev) generated from the suite's
// own proto/ttads/preflight/v1/preflight_service.proto and its
// google.api.http bindings, in front of one preflight server: the
// benchmark's reference for what a stock REST -> gRPC gateway costs on the
// same machine (bench/gateway_vs_grpc.sh). It is not part of the product.
//
//	ttads-grpc-gateway --listen=127.0.0.1:0 --backend=127.0.0.1:50052
//
// It prints "listening on HOST:PORT" once it accepts connections. The
// Authorization header reaches the backend as `authorization` metadata
// (grpc-gateway passes it through unprefixed).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"google.golang.org/grpc"

	preflight "ttadsbench/gen/ttads/preflight/v1"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "HTTP address to serve")
	backend := flag.String("backend", "", "preflight gRPC address (host:port)")
	flag.Parse()
	if *backend == "" {
		log.Fatal("--backend is required")
	}
	ctx := context.Background()
	mux := runtime.NewServeMux()
	opts := []grpc.DialOption{grpc.WithInsecure()}
	if err := preflight.RegisterPreflightServiceHandlerFromEndpoint(ctx, mux, *backend, opts); err != nil {
		log.Fatalf("registering the preflight handlers: %v", err)
	}
	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("listen %s: %v", *listen, err)
	}
	fmt.Printf("listening on %s\n", lis.Addr())
	log.Fatal(http.Serve(lis, mux))
}
