"""A schema-only stand-in for registry.terraform.io/hashicorp/aws, for `terraform validate` and `terraform test`.

The provider binary cannot be downloaded here. Terraform still asks a provider for its schema even
when `mock_provider "aws"` stands in for every resource, and passes the Validate* calls through. This
plugin speaks the Terraform plugin protocol 6 (go-plugin handshake, gRPC over a Unix socket with the
TLS certificate go-plugin expects) with the protobuf definitions of the PyPI package `tf`, serves the
schema that `schema_from_cdktf.py` rebuilt, and answers every validation with no diagnostics: the
provider's own validation functions are not in the published schema. Any call that would reach AWS
(plan, apply, read) is unimplemented: outside a mock, the stand-in refuses rather than pretends.

Usage (from the launcher a filesystem mirror holds): python provider.py <schema.pb>
"""

from __future__ import annotations

import base64
import datetime
import os
import sys
import tempfile
from concurrent import futures
from pathlib import Path

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tf.gen import grpc_controller_pb2 as controller_pb
from tf.gen import grpc_controller_pb2_grpc as controller_rpc
from tf.gen import grpc_stdio_pb2_grpc as stdio_rpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

GO_PLUGIN_PROTOCOL = 1
TERRAFORM_PROTOCOL = 6


class SchemaOnlyProvider(rpc.ProviderServicer):
    def __init__(self, schema: pb.GetProviderSchema.Response):
        self.schema = schema

    def GetMetadata(self, request, context):
        return pb.GetMetadata.Response(
            server_capabilities=self.schema.server_capabilities,
            resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in self.schema.resource_schemas],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=n) for n in self.schema.data_source_schemas],
        )

    def GetProviderSchema(self, request, context):
        return self.schema

    def ValidateProviderConfig(self, request, context):
        return pb.ValidateProviderConfig.Response()

    def ValidateResourceConfig(self, request, context):
        return pb.ValidateResourceConfig.Response()

    def ValidateDataResourceConfig(self, request, context):
        return pb.ValidateDataResourceConfig.Response()

    def GetFunctions(self, request, context):
        return pb.GetFunctions.Response()

    def StopProvider(self, request, context):
        return pb.StopProvider.Response()


class Controller(controller_rpc.GRPCControllerServicer):
    def __init__(self, stop):
        self.stop = stop

    def Shutdown(self, request, context):
        self.stop()
        return controller_pb.Empty()


class Stdio(stdio_rpc.GRPCStdioServicer):
    def StreamStdio(self, request, context):
        return iter(())


def certificate() -> tuple[bytes, grpc.ServerCredentials]:
    """A fresh self-signed certificate for this process: go-plugin pins it from the handshake line."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=12))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)], require_client_auth=False)
    return cert.public_bytes(serialization.Encoding.DER), credentials


def serve(schema_path: Path) -> None:
    schema = pb.GetProviderSchema.Response.FromString(schema_path.read_bytes())
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    rpc.add_ProviderServicer_to_server(SchemaOnlyProvider(schema), server)
    controller_rpc.add_GRPCControllerServicer_to_server(Controller(lambda: server.stop(grace=0)), server)
    stdio_rpc.add_GRPCStdioServicer_to_server(Stdio(), server)
    with tempfile.TemporaryDirectory(prefix="aws-stand-in-") as scratch:
        socket = os.path.join(scratch, "plugin.sock")
        der, credentials = certificate()
        server.add_secure_port(f"unix://{socket}", credentials)
        server.start()
        handshake = [GO_PLUGIN_PROTOCOL, TERRAFORM_PROTOCOL, "unix", socket, "grpc", base64.b64encode(der).decode().rstrip("=")]
        print("|".join(map(str, handshake)), flush=True)
        server.wait_for_termination()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
